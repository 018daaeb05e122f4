import { Module } from '@nestjs/common';
import { HealthModule } from '../health/health.module';
import { MetricsModule } from '../metrics/metrics.module';
import { RulesModule } from '../rules/rules.module';
import { MessagesApiController } from './api/messages.api.controller';
import { IntakeAmqpController } from './intake.amqp.controller';
import { IntakeTransportFactory } from './intake-transport.factory';
import { IntakeService } from './intake.service';

@Module({
  imports: [RulesModule, MetricsModule, HealthModule],
  controllers: [MessagesApiController, IntakeAmqpController],
  providers: [IntakeService, IntakeTransportFactory],
  exports: [IntakeService],
})
export class IntakeModule {}
