import { Global, Module } from '@nestjs/common';
import { NotificationsService } from './notifications.service';
import { OutboxPublisher } from './outbox.publisher';
import { OutboxService } from './outbox.service';

/** Notifications to the message bus through an outbox (infrastructure: any module may use it). */
@Global()
@Module({
  providers: [OutboxService, OutboxPublisher, NotificationsService],
  exports: [NotificationsService, OutboxPublisher],
})
export class NotificationsModule {}
