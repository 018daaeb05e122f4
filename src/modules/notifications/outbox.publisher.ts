import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import * as amqp from 'amqplib';
import { DataSource } from 'typeorm';
import { ENV } from '../../config/config.module';
import type { Env } from '../../config/env.schema';
import { MetricsService } from '../metrics/metrics.service';
import { OutboxService } from './outbox.service';
import { Wakeup } from './wakeup';

interface OutboxRow {
  id: string;
  message_id: string;
  topic: string;
  body: unknown;
  headers: Record<string, unknown>;
  /** Seconds since its transaction began, by the database's clock, when leased. */
  age: number;
}

const BATCH = 200;
const IDLE_MS = 500;
const LEASE = '30 seconds';

/**
 * Drains the outbox to the exchange with publisher confirms. Rows are leased with a short
 * statement (no transaction held during the broker round trip) and deleted once confirmed;
 * a crash between the two publishes a notification twice, never zero times (consumers
 * deduplicate by message id). While the broker is away, rows wait and are retried.
 */
@Injectable()
export class OutboxPublisher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('Outbox');
  private connection: amqp.RecoveringChannelModel | null = null;
  private channel: amqp.ConfirmChannel | null = null;
  private readonly wakeup = new Wakeup();
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly ds: DataSource,
    private readonly outbox: OutboxService,
    private readonly metrics: MetricsService,
    @Inject(ENV) private readonly env: Env,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.outbox.enabled) return;
    this.metrics.countOutboxWith(async () => {
      const [{ n }] = await this.ds.query(`SELECT count(*)::int AS n FROM outbox`);
      return n as number;
    });
    this.connection = await amqp.connect(this.env.AMQP_URL!, {
      recovery: {
        waitForConnect: false,
        initialDelay: 200,
        maxDelay: 5_000,
        maxRetries: Infinity,
        setup: async (model: amqp.ChannelModel) => {
          const ch = await model.createConfirmChannel();
          ch.on('error', (err: Error) => this.log.warn(`channel error: ${err.message}`));
          this.channel = ch;
        },
      },
    });
    this.connection.on('disconnect', () => (this.channel = null));
    this.connection.on('error', (err: Error) => this.log.warn(`broker error: ${err.message}`));
    this.running = this.loop();
  }

  /** Publish soon (after an award was committed). */
  nudge(): void {
    this.wakeup.notify();
  }

  /**
   * The publishing loop, started at bootstrap: drain, then sleep until nudged (also during
   * the drain) or a short while passed. (Nudges only resolve a promise the loop awaits, so
   * the loop never runs in the context of the request that nudged it.)
   */
  private async loop(): Promise<void> {
    while (!this.stopped) {
      this.wakeup.clear();
      try {
        await this.drain();
      } catch (err) {
        this.log.warn(`publishing failed, will retry: ${(err as Error).message}`);
      }
      if (this.stopped) break;
      await this.wakeup.wait(IDLE_MS);
    }
  }

  /** Publishes until the outbox is empty or the broker is unavailable. */
  async drain(): Promise<number> {
    let published = 0;
    for (;;) {
      const ch = this.channel;
      if (!ch || this.stopped) break;
      // (Wrapped in a SELECT: TypeORM returns [rows, count] for a bare UPDATE.)
      const rows: OutboxRow[] = await this.ds.query(
        `WITH leased AS (
           UPDATE outbox SET leased_until = now() + interval '${LEASE}', attempts = attempts + 1
            WHERE id IN (SELECT id FROM outbox WHERE leased_until IS NULL OR leased_until < now()
                          ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
            RETURNING id, message_id, topic, body, headers,
                      extract(epoch FROM clock_timestamp() - created_at)::float8 AS age)
         SELECT * FROM leased ORDER BY id`,
        [BATCH],
      );
      if (!rows.length) break;
      const leasedAt = performance.now();
      const done: string[] = [];
      try {
        await Promise.all(
          rows.map((row) =>
            this.publish(ch, row).then(() => {
              done.push(row.id);
              this.metrics.notificationDelaySeconds.observe(
                row.age + (performance.now() - leasedAt) / 1000,
              );
            }),
          ),
        );
      } catch (err) {
        await this.ds.query(
          `UPDATE outbox SET last_error = $2, leased_until = now() + interval '2 seconds' WHERE id = ANY($1)`,
          [rows.filter((r) => !done.includes(r.id)).map((r) => r.id), (err as Error).message],
        );
        throw err;
      } finally {
        if (done.length) await this.ds.query(`DELETE FROM outbox WHERE id = ANY($1)`, [done]);
        this.metrics.notificationsPublished.inc(done.length);
        published += done.length;
      }
      if (rows.length < BATCH) break;
    }
    return published;
  }

  private publish(ch: amqp.ConfirmChannel, row: OutboxRow): Promise<void> {
    return new Promise((resolve, reject) =>
      ch.publish(
        this.env.AMQP_EXCHANGE,
        row.topic,
        Buffer.from(JSON.stringify(row.body)),
        {
          contentType: 'application/json',
          contentEncoding: 'utf-8',
          messageId: row.message_id,
          deliveryMode: 2,
          headers: { ...row.headers, 'sent-at': new Date().toISOString() },
        },
        (err) => (err ? reject(err) : resolve()),
      ),
    );
  }

  /** Before the database closes (its module shuts down in onApplicationShutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.wakeup.notify();
    await this.running?.catch(() => undefined);
    await this.connection?.close().catch(() => undefined);
  }
}
