import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The service's Prometheus metrics, on a registry of its own (so several instances in one
 * process, as in the tests, never clash).
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly messagesConsumed = new Counter({
    name: 'accolades_messages_consumed_total',
    help: 'Messages received from the bus (or the HTTP intake), by source',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });
  readonly messagesAcked = new Counter({
    name: 'accolades_messages_acked_total',
    help: 'Messages fully processed and acknowledged',
    registers: [this.registry],
  });
  readonly messagesDuplicate = new Counter({
    name: 'accolades_messages_duplicate_total',
    help: 'Messages already seen (same message id): nothing done twice',
    registers: [this.registry],
  });
  readonly messagesDeadLettered = new Counter({
    name: 'accolades_messages_dead_lettered_total',
    help: 'Messages sent to the dead-letter queue',
    registers: [this.registry],
  });
  readonly messagesRetried = new Counter({
    name: 'accolades_messages_retried_total',
    help: 'Processing attempts that failed and were retried',
    registers: [this.registry],
  });
  readonly intakePauses = new Counter({
    name: 'accolades_intake_pauses_total',
    help: 'Times the intake paused because the database was unavailable',
    registers: [this.registry],
  });
  readonly awards = new Counter({
    name: 'accolades_awards_total',
    help: 'Badges awarded, by source (rules, api, page, import...)',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });
  readonly ruleErrors = new Counter({
    name: 'accolades_rule_errors_total',
    help: 'Errors while evaluating a rule (the rule counts as not matching), by rule',
    labelNames: ['rule'] as const,
    registers: [this.registry],
  });
  readonly processingSeconds = new Histogram({
    name: 'accolades_message_processing_seconds',
    help: 'Time from receiving a message to committing its effects',
    // Fine between 50 and 300 ms: where an award delay target (200 ms) is read.
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly batchSeconds = new Histogram({
    name: 'accolades_intake_batch_seconds',
    help: 'Time one intake transaction takes: storing, judging, writing and committing a batch',
    buckets: [0.005, 0.01, 0.02, 0.035, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly notificationDelaySeconds = new Histogram({
    name: 'accolades_notification_delay_seconds',
    help: 'Time from the transaction that wrote a notification to its publication being confirmed',
    buckets: [0.005, 0.01, 0.02, 0.035, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 5, 30],
    registers: [this.registry],
  });
  readonly batchMessages = new Histogram({
    name: 'accolades_intake_batch_messages',
    help: 'Messages processed together in one transaction by the intake',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
    registers: [this.registry],
  });
  readonly queueBacklog = new Gauge({
    name: 'accolades_intake_backlog_messages',
    help: 'Messages waiting in the intake queue (consumer lag)',
    registers: [this.registry],
  });
  private outboxCount: (() => Promise<number>) | null = null;
  // Counted when scraped, not after every drain: a count over a table that churns (rows
  // inserted and deleted by the thousand) costs tens of milliseconds.
  readonly outboxBacklog = new Gauge({
    name: 'accolades_outbox_backlog_messages',
    help: 'Notifications waiting to be published',
    registers: [this.registry],
    collect: async () => {
      if (!this.outboxCount) return;
      try {
        this.outboxBacklog.set(await this.outboxCount());
      } catch {
        // The database is away: /metrics must still answer (an outage is when it is read),
        // with the last value counted.
      }
    },
  });
  readonly notificationsPublished = new Counter({
    name: 'accolades_notifications_published_total',
    help: 'Notifications published to the bus',
    registers: [this.registry],
  });

  /** How the outbox backlog is counted (by the publisher, which owns the outbox). */
  countOutboxWith(count: () => Promise<number>): void {
    this.outboxCount = count;
  }

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'accolades_' });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
