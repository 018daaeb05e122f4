import { BaseRpcContext } from '@nestjs/microservices';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';

/** One AMQP message as the intake handler sees it. */
export interface Delivery {
  /** The routing key: the Fedora topic. */
  topic: string;
  /** The AMQP message_id property (fedora-messaging's message id). */
  messageId: string | null;
  headers: Record<string, unknown>;
  /** The raw body (JSON for fedora-messaging). */
  body: Buffer;
  redelivered: boolean;
  /** How many times processing failed before (carried in a header across replicas). */
  attempts: number;
}

/** The Nest RPC context of an AMQP delivery: the raw message, its channel and queue. */
export class AmqpDeliveryContext extends BaseRpcContext<[ConsumeMessage, ConfirmChannel, string]> {
  getMessage(): ConsumeMessage {
    return this.args[0];
  }
  getChannel(): ConfirmChannel {
    return this.args[1];
  }
  getQueue(): string {
    return this.args[2];
  }
}
