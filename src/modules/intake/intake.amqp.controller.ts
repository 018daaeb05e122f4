import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { AmqpErrorFilter } from './amqp/amqp-error.filter';
import type { AmqpDeliveryContext, Delivery } from './amqp/delivery';
import { IntakeService } from './intake.service';

/**
 * The AMQP door: every bound topic comes here. Resolving acks the message (after the
 * commit); a thrown error is translated once by the transport (dead letter, retry, pause).
 */
@Controller()
@UseFilters(AmqpErrorFilter)
export class IntakeAmqpController {
  constructor(private readonly intake: IntakeService) {}

  @EventPattern('#')
  async onMessage(@Payload() delivery: Delivery, @Ctx() _ctx: AmqpDeliveryContext): Promise<void> {
    await this.intake.ingestDelivery(delivery);
  }
}
