import { type DynamicModule, Module } from '@nestjs/common';
import { CommonModule } from './common/common.module';
import { LoggingModule } from './common/logging/logging.module';
import { ConfigModule } from './config/config.module';
import type { Env } from './config/env.schema';
import { DatabaseModule } from './database/database.module';
import { AuthModule } from './modules/auth/auth.module';
import { AwardsModule } from './modules/awards/awards.module';
import { BadgesModule } from './modules/badges/badges.module';
import { IntakeModule } from './modules/intake/intake.module';
import { HealthModule } from './modules/health/health.module';
import { MetricsModule } from './modules/metrics/metrics.module';
import { NotificationsModule } from './modules/notifications/notifications.module';
import { RulesModule } from './modules/rules/rules.module';
import { OpenBadgesModule } from './modules/openbadges/openbadges.module';
import { UsersModule } from './modules/users/users.module';
import { WebModule } from './modules/web/web.module';

/** The whole service, built from a validated environment. */
@Module({})
export class AppModule {
  static forRoot(env: Env): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(env),
        LoggingModule.forRoot(env),
        DatabaseModule,
        CommonModule,
        AuthModule,
        HealthModule,
        MetricsModule,
        NotificationsModule,
        UsersModule,
        BadgesModule,
        AwardsModule,
        RulesModule,
        OpenBadgesModule,
        IntakeModule,
        WebModule,
      ],
    };
  }
}
