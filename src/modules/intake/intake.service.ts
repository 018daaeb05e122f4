import { Inject, Injectable, Logger } from '@nestjs/common';
import { invalid } from '../../common/errors/domain-error';
import { ENV } from '../../config/config.module';
import type { Env } from '../../config/env.schema';
import { MetricsService } from '../metrics/metrics.service';
import type { BusMessage } from '../rules/engine';
import { type ProcessResult, RulesService } from '../rules/rules.service';
import type { Delivery } from './amqp/delivery';
import { Batcher } from './batcher';
import { isDatabaseUnavailable } from './intake.errors';

export type IntakeSource = 'amqp' | 'http' | 'replay';

/**
 * One use case, two doors: a message from the bus (AMQP handler) or posted to the API goes
 * through the rules in ONE transaction — stored in the history (deduplicated by message id),
 * counters moved, awards and their notifications written — and only after the commit does
 * the door acknowledge it. A redelivery finds the id in the history and does nothing.
 *
 * Messages that arrive while a transaction runs share the next one (up to
 * ACCOLADES_INTAKE_BATCH): under load a replica commits once per batch instead of once per
 * message. Each message still gets its own outcome: a batch that fails is run again one
 * message at a time, so a bad message fails alone.
 */
@Injectable()
export class IntakeService {
  private readonly log = new Logger('Intake');
  private readonly batcher: Batcher<BusMessage, ProcessResult>;

  constructor(
    private readonly rules: RulesService,
    private readonly metrics: MetricsService,
    @Inject(ENV) env: Env,
  ) {
    this.batcher = new Batcher({
      run: async (messages) => {
        this.metrics.batchMessages.observe(messages.length);
        const timer = this.metrics.batchSeconds.startTimer();
        try {
          return await this.rules.processBatch(messages);
        } finally {
          timer();
        }
      },
      maxSize: env.ACCOLADES_INTAKE_BATCH,
      // An outage fails every message alike: no point in trying them one by one.
      isolateOn: (err) => !isDatabaseUnavailable(err),
    });
  }

  /** An AMQP delivery in fedora-messaging form: routing key, message_id, headers, JSON body. */
  ingestDelivery(d: Delivery): Promise<ProcessResult> {
    let body: unknown;
    try {
      body = JSON.parse(d.body.toString('utf8'));
    } catch (err) {
      throw invalid('MESSAGE.INVALID', `the body is not JSON: ${(err as Error).message}`);
    }
    const id =
      d.messageId ?? (typeof d.headers['message-id'] === 'string' ? d.headers['message-id'] : null);
    return this.ingest({ topic: d.topic, id, body, headers: d.headers }, 'amqp');
  }

  /** A message in any format the replay command accepts (datagrepper or fedora-messaging JSON). */
  async ingest(input: unknown, source: IntakeSource): Promise<ProcessResult> {
    const started = process.hrtime.bigint();
    this.metrics.messagesConsumed.inc({ source });
    const message: BusMessage = this.rules.parse(withReceiptTime(input, new Date()));
    // Committed when it resolves (processBatch also wakes the outbox publisher and fills
    // counters first asked for, after the commit).
    const result = await this.batcher.submit(message);
    this.record(message, result, source, started);
    return result;
  }

  private record(
    message: BusMessage,
    result: ProcessResult,
    source: IntakeSource,
    started: bigint,
  ): void {
    this.metrics.processingSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    if (result.status === 'duplicate') {
      this.metrics.messagesDuplicate.inc();
      this.log.debug({ msgId: message.id, topic: message.topic }, 'duplicate message ignored');
      return;
    }
    for (const e of result.ruleErrors) this.metrics.ruleErrors.inc({ rule: e.badgeId });
    if (result.awards.length) {
      this.metrics.awards.inc({ source: 'rules' }, result.awards.length);
      for (const a of result.awards) {
        this.log.log(
          { msgId: a.msgId, badge: a.badgeId, user: a.user, source },
          'rule awarded badge',
        );
      }
    }
  }
}

/**
 * The rule engine has no clock: a message must say when it was sent. fedora-messaging
 * always sets the `sent-at` header; a webhook may not, and then the time of receipt stands
 * in for it (anything that is not a JSON object is left for the parser to refuse).
 */
export function withReceiptTime(input: unknown, now: Date): unknown {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return input;
  const m = input as { timestamp?: unknown; headers?: unknown };
  if (m.timestamp !== undefined) return input;
  const headers =
    m.headers && typeof m.headers === 'object' && !Array.isArray(m.headers)
      ? (m.headers as Record<string, unknown>)
      : {};
  if (headers['sent-at'] !== undefined) return input;
  return { ...m, headers: { ...headers, 'sent-at': now.toISOString() } };
}
