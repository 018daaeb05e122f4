import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ENV } from '../../config/config.module';
import type { Env } from '../../config/env.schema';
import { HealthService } from '../health/health.service';
import { MetricsService } from '../metrics/metrics.service';
import { AmqpIntakeTransport } from './amqp/amqp-intake.transport';

const BACKLOG_POLL_MS = 5_000;

/**
 * Builds the AMQP transport from the environment (none without AMQP_URL: the embedded
 * default runs with the HTTP intake only), wires its events to the metrics, and reports its
 * state and consumer lag on /healthz/ready.
 */
@Injectable()
export class IntakeTransportFactory implements OnApplicationShutdown {
  private transport: AmqpIntakeTransport | null = null;
  private poller: NodeJS.Timeout | null = null;

  constructor(
    @Inject(ENV) private readonly env: Env,
    private readonly ds: DataSource,
    private readonly metrics: MetricsService,
    private readonly health: HealthService,
  ) {}

  create(): AmqpIntakeTransport | null {
    const env = this.env;
    if (!env.AMQP_URL) return null;
    const m = this.metrics;
    const transport = new AmqpIntakeTransport({
      url: env.AMQP_URL,
      exchange: env.AMQP_EXCHANGE,
      queue: env.AMQP_QUEUE,
      bindingKeys: env.AMQP_BINDING_KEYS.split(',')
        .map((k) => k.trim())
        .filter(Boolean),
      prefetch: env.AMQP_PREFETCH,
      deadLetterQueue: env.AMQP_DEAD_LETTER_QUEUE ?? `${env.AMQP_QUEUE}.dead-letter`,
      maxAttempts: env.AMQP_MAX_ATTEMPTS,
      isDatabaseReady: async () => {
        await this.ds.query('SELECT 1');
        return true;
      },
      events: {
        acked: () => m.messagesAcked.inc(),
        deadLettered: () => m.messagesDeadLettered.inc(),
        retried: () => m.messagesRetried.inc(),
        paused: () => m.intakePauses.inc(),
      },
    });
    this.transport = transport;
    this.health.register('intake', () => this.status());
    this.poller = setInterval(() => void this.status().catch(() => undefined), BACKLOG_POLL_MS);
    this.poller.unref();
    return transport;
  }

  /**
   * The consumer's state and lag (messages waiting in its queue). A replica that lost the
   * broker still serves pages, so this never fails readiness by itself: it says "disconnected"
   * and the broker's own monitoring tells why.
   */
  async status(): Promise<{ ok: boolean; state: string; lag: number | null; queue: string }> {
    const t = this.transport;
    const lag = t ? await t.backlog().catch(() => null) : null;
    if (lag !== null) this.metrics.queueBacklog.set(lag);
    return { ok: true, state: t?.currentState ?? 'off', lag, queue: this.env.AMQP_QUEUE };
  }

  onApplicationShutdown(): void {
    if (this.poller) clearInterval(this.poller);
  }
}
