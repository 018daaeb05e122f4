import { Logger } from '@nestjs/common';
import { type CustomTransportStrategy, Server } from '@nestjs/microservices';
import * as amqp from 'amqplib';
import { lastValueFrom } from 'rxjs';
import { type Disposition, dispositionOf } from '../intake.errors';
import { AmqpDeliveryContext, type Delivery } from './delivery';
import { topicMatches } from './topic-match';

export interface AmqpIntakeOptions {
  url: string;
  exchange: string;
  queue: string;
  bindingKeys: string[];
  prefetch: number;
  deadLetterQueue: string;
  /** Processing attempts before a failing message is dead-lettered. */
  maxAttempts: number;
  /** Is the database back? Polled while consumption is paused. */
  isDatabaseReady: () => Promise<boolean>;
  events?: IntakeEvents;
}

/** What the transport reports, for metrics and logs. */
export interface IntakeEvents {
  consumed?(topic: string): void;
  acked?(topic: string, seconds: number): void;
  deadLettered?(reason: string): void;
  retried?(): void;
  paused?(): void;
  resumed?(): void;
}

export type IntakeState = 'connecting' | 'consuming' | 'paused' | 'disconnected' | 'closed';

const ATTEMPTS_HEADER = 'x-accolades-attempts';

/**
 * The AMQP intake as a Nest microservice transport over amqplib (Nest's built-in RMQ
 * transport acks before handling, has unlimited prefetch and cannot route by topic).
 *
 * - A durable queue bound to a topic exchange (default amq.topic) with the binding keys;
 *   manual acks and a prefetch window; connection recovery with backoff.
 * - Each message goes to the @EventPattern handler whose pattern matches its routing key
 *   (AMQP wildcards). It is acked only after the handler's promise resolved (the handler
 *   commits its transaction first).
 * - A failure is translated once (dispositionOf): a poison message is published to the
 *   dead-letter queue with the reason (confirmed) and then acked; a transient failure is
 *   re-queued at the tail with an attempt counter and dead-lettered after maxAttempts; a
 *   database outage nacks the message back to the queue and pauses consumption until the
 *   database answers again, so nothing is lost and nothing needs a restart.
 */
export class AmqpIntakeTransport extends Server implements CustomTransportStrategy {
  private readonly log = new Logger('AmqpIntake');
  private connection: amqp.RecoveringChannelModel | null = null;
  private channel: amqp.ConfirmChannel | null = null;
  private consumerTag: string | null = null;
  private state: IntakeState = 'connecting';
  private readonly inFlight = new Set<Promise<void>>();
  private resumeTimer: NodeJS.Timeout | null = null;
  private closing = false;

  constructor(private readonly options: AmqpIntakeOptions) {
    super();
  }

  get currentState(): IntakeState {
    return this.state;
  }

  async listen(callback: (...args: unknown[]) => void): Promise<void> {
    const connection = await amqp.connect(this.options.url, {
      recovery: {
        waitForConnect: false,
        initialDelay: 200,
        maxDelay: 5_000,
        maxRetries: Infinity,
        setup: (model: amqp.ChannelModel) => this.setup(model),
      },
    });
    this.connection = connection;
    connection.on('connect', () => this.log.log('connected to the broker'));
    connection.on('disconnect', (err?: Error) => {
      if (this.closing) return;
      this.state = 'disconnected';
      this.channel = null;
      this.consumerTag = null;
      this.log.warn(`broker connection lost: ${err?.message ?? 'closed'}; reconnecting`);
    });
    connection.on('error', (err: Error) => this.log.warn(`broker error: ${err.message}`));
    callback();
  }

  /** Runs after every (re)connection: topology, prefetch, consumer. */
  private async setup(model: amqp.ChannelModel): Promise<void> {
    const ch = await model.createConfirmChannel();
    ch.on('error', (err: Error) => this.log.warn(`channel error: ${err.message}`));
    const o = this.options;
    if (!o.exchange.startsWith('amq.'))
      await ch.assertExchange(o.exchange, 'topic', { durable: true });
    await ch.assertQueue(o.queue, { durable: true });
    for (const key of o.bindingKeys) await ch.bindQueue(o.queue, o.exchange, key);
    await ch.assertQueue(o.deadLetterQueue, { durable: true });
    await ch.prefetch(o.prefetch);
    this.channel = ch;
    await this.consume();
  }

  private async consume(): Promise<void> {
    const ch = this.channel;
    if (!ch || this.closing) return;
    const { consumerTag } = await ch.consume(
      this.options.queue,
      (msg) => msg && this.track(this.onMessage(ch, msg)),
      {
        noAck: false,
      },
    );
    this.consumerTag = consumerTag;
    this.state = 'consuming';
    this.log.log(`consuming ${this.options.queue} (prefetch ${this.options.prefetch})`);
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async onMessage(ch: amqp.ConfirmChannel, msg: amqp.ConsumeMessage): Promise<void> {
    const started = process.hrtime.bigint();
    const delivery = toDelivery(msg);
    this.options.events?.consumed?.(delivery.topic);
    const handler = [...this.getHandlers().entries()].find(([pattern]) =>
      topicMatches(pattern, delivery.topic),
    )?.[1];
    if (!handler) {
      // Bound but unhandled: nothing to do with it, and keeping it would block the queue.
      ch.ack(msg);
      return;
    }
    let disposition: Disposition = { kind: 'ack' };
    try {
      const result = await handler(
        delivery,
        new AmqpDeliveryContext([msg, ch, this.options.queue]),
      );
      await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
    } catch (err) {
      disposition = dispositionOf(err);
    }
    try {
      await this.settle(ch, msg, delivery, disposition);
      if (disposition.kind === 'ack') {
        this.options.events?.acked?.(
          delivery.topic,
          Number(process.hrtime.bigint() - started) / 1e9,
        );
      }
    } catch (err) {
      // The channel died before we could settle: the broker redelivers the message.
      this.log.warn(`could not settle message ${delivery.messageId}: ${(err as Error).message}`);
    }
  }

  private async settle(
    ch: amqp.ConfirmChannel,
    msg: amqp.ConsumeMessage,
    d: Delivery,
    disp: Disposition,
  ): Promise<void> {
    switch (disp.kind) {
      case 'ack':
        ch.ack(msg);
        return;
      case 'unavailable':
        ch.nack(msg, false, true);
        this.pause(disp.reason);
        return;
      case 'retry':
        if (d.attempts + 1 >= this.options.maxAttempts) {
          await this.deadLetter(ch, msg, d, `failed ${d.attempts + 1} times: ${disp.reason}`);
        } else {
          await publishConfirmed(ch, '', this.options.queue, msg.content, {
            ...msg.properties,
            headers: { ...(msg.properties.headers ?? {}), [ATTEMPTS_HEADER]: d.attempts + 1 },
          });
          this.options.events?.retried?.();
          this.log.warn(
            `message ${d.messageId} failed (attempt ${d.attempts + 1}): ${disp.reason}`,
          );
        }
        ch.ack(msg);
        return;
      case 'dead-letter':
        await this.deadLetter(ch, msg, d, disp.reason);
        ch.ack(msg);
        return;
    }
  }

  private async deadLetter(
    ch: amqp.ConfirmChannel,
    msg: amqp.ConsumeMessage,
    d: Delivery,
    reason: string,
  ): Promise<void> {
    await publishConfirmed(ch, '', this.options.deadLetterQueue, msg.content, {
      ...msg.properties,
      headers: {
        ...(msg.properties.headers ?? {}),
        'x-accolades-reason': reason.slice(0, 2000),
        'x-accolades-routing-key': d.topic,
        'x-accolades-exchange': msg.fields.exchange,
        'x-accolades-failed-at': new Date().toISOString(),
      },
    });
    this.options.events?.deadLettered?.(reason);
    this.log.warn({ messageId: d.messageId, topic: d.topic, reason }, 'message dead-lettered');
  }

  /** Stops taking messages until the database answers again. */
  private pause(reason: string): void {
    if (this.state === 'paused' || this.closing) return;
    this.state = 'paused';
    this.options.events?.paused?.();
    this.log.warn(
      `database unavailable (${reason}): pausing the intake; messages stay in the queue`,
    );
    const tag = this.consumerTag;
    this.consumerTag = null;
    if (tag && this.channel) this.channel.cancel(tag).catch(() => undefined);
    const check = async () => {
      this.resumeTimer = null;
      if (this.closing) return;
      if (await this.options.isDatabaseReady().catch(() => false)) {
        this.log.log('database is back: resuming the intake');
        this.options.events?.resumed?.();
        await this.consume().catch((err) =>
          this.log.warn(`could not resume: ${(err as Error).message}`),
        );
        if (this.state !== 'consuming') this.resumeTimer = setTimeout(check, 1_000);
      } else {
        this.resumeTimer = setTimeout(check, 1_000);
      }
    };
    this.resumeTimer = setTimeout(check, 1_000);
  }

  /** Number of messages waiting in the queue (consumer lag), or null when disconnected. */
  async backlog(): Promise<number | null> {
    if (!this.channel) return null;
    const { messageCount } = await this.channel.checkQueue(this.options.queue);
    return messageCount;
  }

  /** Stops consuming, lets messages in flight finish (and be acked), then disconnects. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    if (this.consumerTag && this.channel)
      await this.channel.cancel(this.consumerTag).catch(() => undefined);
    await Promise.allSettled([...this.inFlight]);
    await this.connection?.close().catch(() => undefined);
    this.state = 'closed';
  }

  on(): never {
    throw new Error('AmqpIntakeTransport has no events to subscribe to');
  }

  unwrap<T>(): T {
    return this.connection as T;
  }
}

function toDelivery(msg: amqp.ConsumeMessage): Delivery {
  const headers = (msg.properties.headers ?? {}) as Record<string, unknown>;
  return {
    topic: msg.fields.routingKey,
    messageId: msg.properties.messageId ?? null,
    headers,
    body: msg.content,
    redelivered: msg.fields.redelivered,
    attempts: Number(headers[ATTEMPTS_HEADER] ?? 0) || 0,
  };
}

function publishConfirmed(
  ch: amqp.ConfirmChannel,
  exchange: string,
  routingKey: string,
  content: Buffer,
  properties: amqp.MessageProperties | amqp.Options.Publish,
): Promise<void> {
  const {
    contentType,
    contentEncoding,
    headers,
    deliveryMode,
    priority,
    correlationId,
    messageId,
    timestamp,
    type,
    appId,
  } = properties as amqp.MessageProperties;
  return new Promise((resolve, reject) => {
    ch.publish(
      exchange,
      routingKey,
      content,
      {
        contentType,
        contentEncoding,
        headers,
        deliveryMode: deliveryMode ?? 2,
        priority,
        correlationId,
        messageId,
        timestamp,
        type,
        appId,
        persistent: true,
      },
      (err) => (err ? reject(err) : resolve()),
    );
  });
}
