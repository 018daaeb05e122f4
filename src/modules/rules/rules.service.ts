import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import { awardMessageId } from '../../common/message-ids';
import { ENV } from '../../config/config.module';
import type { Env } from '../../config/env.schema';
import { withTransactionRetry } from '../../database/transaction-retry';
import { AwardsService, type NewAward } from '../awards/awards.service';
import { ProgressService } from '../awards/progress.service';
import { OutboxPublisher } from '../notifications/outbox.publisher';
import { BadgesService } from '../badges/badges.service';
import { UsersService } from '../users/users.service';
import {
  awardMessage,
  type BusMessage,
  DEFAULT_BANNED_USERS,
  evaluateRule,
  type EvaluationContext,
  loadRule,
  parseMessage,
  type Rule,
  type RuleFileError,
  type RuleProgress,
  selectionQuestions,
} from './engine';
import { BatchLedger } from './history/batch-ledger';
import { CounterRegistry } from './history/counter-registry';
import { HistoryStore, selectionReads } from './history/history.store';
import { insertMessages } from './history/message-writes';
import { TransactionTally } from './history/transaction-tally';
import { AwardsView } from './awards-view';
import { Identities } from './identities/identities';
import { RulesLoader } from './loading/rules.loader';
import { messageInvalid, ruleFieldErrors, ruleInvalid } from './rules.errors';
import { DryRunHistory, type DryRunResult, dryRunOver } from './dry-run';

export interface Award {
  badgeId: string;
  badgeName: string;
  user: string;
  msgId: string;
}

export interface RuleError {
  badgeId: string;
  error: string;
}

export type ProcessResult =
  { status: 'duplicate' } | { status: 'processed'; awards: Award[]; ruleErrors: RuleError[] };

/** How deep award messages may trigger further awards (badges for badges for badges...). */
const MAX_AWARD_DEPTH = 20;

/** Messages per transaction of a backfill. */
const BACKFILL_BATCH = 1_000;

/**
 * Runs bus messages through the rules: each message is stored in the history once (a
 * duplicate id does nothing), counted, evaluated by the rules it may trigger, and the
 * awards are made; every award is itself a message that goes through the rules, in the
 * same transaction (badges for collecting badges need no broker).
 */
@Injectable()
export class RulesService {
  private readonly log = new Logger('Rules');
  private readonly banned: ReadonlySet<string>;
  private readonly loggedErrors = new Set<string>();

  constructor(
    private readonly ds: DataSource,
    private readonly loader: RulesLoader,
    private readonly counters: CounterRegistry,
    private readonly identities: Identities,
    private readonly awards: AwardsService,
    private readonly users: UsersService,
    private readonly badges: BadgesService,
    private readonly progress: ProgressService,
    private readonly publisher: OutboxPublisher,
    @Inject(ENV) private readonly env: Env,
  ) {
    const extra = (env.ACCOLADES_BANNED_USERS ?? '')
      .split(',')
      .map((u) => u.trim().toLowerCase())
      .filter(Boolean);
    this.banned = new Set([...DEFAULT_BANNED_USERS, ...extra]);
  }

  /** The rules in force. */
  get rules(): Rule[] {
    return this.loader.book.rules;
  }

  reload() {
    return this.loader.reload();
  }

  /** A bus message from its JSON (datagrepper envelope or fedora-messaging JSON). */
  parse(input: unknown): BusMessage {
    try {
      return parseMessage(input);
    } catch (err) {
      throw messageInvalid((err as Error).message);
    }
  }

  /**
   * Processes one message. With `m`, inside the caller's transaction (the AMQP intake acks
   * after its commit); without, in a transaction of its own, after which the outbox
   * publisher is woken and any counter asked for meanwhile is filled.
   */
  async process(message: BusMessage, m?: EntityManager): Promise<ProcessResult> {
    const [result] = await this.processBatch([message], m);
    return result;
  }

  /**
   * Processes messages in order, in one transaction (the intake's batches, replays). The
   * awards are decided message after message (each sees the ones before it) and written
   * together at the end.
   */
  async processBatch(messages: readonly BusMessage[], m?: EntityManager): Promise<ProcessResult[]> {
    if (!m) {
      const results = await withTransactionRetry(() =>
        this.ds.transaction((tx) => this.processBatch(messages, tx)),
      );
      await this.afterCommit(results);
      return results;
    }
    await this.counters.enter(m);
    const view = this.viewOf(m);
    await view.prefetch(messages.flatMap((msg) => msg.users));
    const unit: Unit = { m, view, tally: new TransactionTally(m), awards: [], progress: [] };
    // Stored and counted together, then judged one by one on the history as it stood
    // when each arrived (the ledger takes off what the later ones added).
    const seen = new Set<string>();
    const fresh = messages.filter((msg) => !seen.has(msg.id) && seen.add(msg.id));
    const increments = fresh.map((msg) => this.counters.incrementsOf([msg]));
    const stored = await unit.tally.store(fresh, increments);
    const ledger = new BatchLedger(
      fresh.flatMap((msg, i) => (stored.has(msg.id) ? [{ id: msg.id, inc: increments[i] }] : [])),
    );
    unit.tally.ledger = ledger;
    const users = new Set(messages.flatMap((msg) => msg.users));
    await unit.tally.prefetchSelections(
      this.counters.readySelectionKeys(),
      [...users],
      this.wholeFilterCellsAsked(fresh.filter((msg) => stored.has(msg.id))),
    );
    const results: ProcessResult[] = [];
    for (const message of messages) {
      // A message id seen before, or earlier in this batch, is a duplicate.
      if (!stored.delete(message.id)) {
        results.push({ status: 'duplicate' });
        continue;
      }
      ledger.advance(message.id);
      results.push(await this.judge(message, unit, 0));
    }
    await unit.tally.flush();
    await this.awards.recordAwards(unit.awards, m);
    await this.recordProgress(unit);
    return results;
  }

  /**
   * The cells of whole-filter selection counters (user '') the rules will ask for when
   * judging these messages (worked out from the rules beforehand): each question's count
   * and error buckets, and its totals when the filter is paged.
   */
  private wholeFilterCellsAsked(messages: readonly BusMessage[]): {
    keys: string[];
    buckets: string[];
  } {
    const cells = new Map<string, [string, string]>();
    for (const message of messages)
      for (const rule of this.loader.book.candidates(message))
        for (const q of selectionQuestions(rule, message)) {
          const reads = selectionReads(this.counters, q.filter, q.selection, q.values);
          if (reads?.user !== '') continue;
          for (const bucket of [reads.count, ...reads.errors, ...reads.totals])
            cells.set(`${reads.key}\u0000${bucket}`, [reads.key, bucket]);
        }
    const pairs = [...cells.values()];
    return { keys: pairs.map(([k]) => k), buckets: pairs.map(([, b]) => b) };
  }

  /**
   * What a caller that ran `process` in its own transaction does after the commit: wake
   * the outbox publisher, fill counters first needed by this work.
   */
  async afterCommit(results: readonly ProcessResult[]): Promise<void> {
    if (results.some((r) => r.status === 'processed' && r.awards.length)) this.publisher.nudge();
    // The message is committed: a failed fill is retried later, never fails the message.
    if (this.counters.hasPending)
      await this.counters
        .flush()
        .catch((err: Error) =>
          this.log.warn(`counter fill failed (retried later): ${err.message}`),
        );
  }

  /** Runs the rules on a stored message and decides its awards (and its awards' own). */
  private async judge(message: BusMessage, unit: Unit, depth: number): Promise<ProcessResult> {
    const awards: Award[] = [];
    const ruleErrors: RuleError[] = [];
    let ctx = this.context(unit);
    for (const rule of this.loader.book.candidates(message)) {
      let recipients: string[];
      try {
        const outcome = await evaluateRule(rule, message, ctx);
        if (outcome.error) this.ruleFailed(rule, outcome.error, ruleErrors);
        if (outcome.progress) unit.progress.push({ badgeId: rule.badgeId, ...outcome.progress });
        recipients = outcome.recipients;
      } catch (err) {
        rethrowUnlessRuleFailure(err);
        this.ruleFailed(rule, (err as Error).message, ruleErrors);
        continue;
      }
      for (const user of recipients) {
        const award = await this.decideAward(rule, user, message, unit).catch((err: Error) => {
          rethrowUnlessRuleFailure(err);
          this.ruleFailed(rule, `award to ${user}: ${err.message}`, ruleErrors);
          return null;
        });
        if (!award) continue;
        awards.push({ badgeId: rule.badgeId, badgeName: rule.name, user, msgId: message.id });
        if (depth >= MAX_AWARD_DEPTH) {
          this.ruleFailed(rule, 'award chain too deep: award message not processed', ruleErrors);
          continue;
        }
        const next = awardMessage({
          topicPrefix: this.env.ACCOLADES_TOPIC_PREFIX,
          awardTopic: this.env.ACCOLADES_AWARD_TOPIC,
          id: awardMessageId(award.assertionId),
          sentAt: message.sentAt,
          badge: {
            id: award.badge.id,
            name: award.badge.name,
            description: award.badge.description,
            imageUrl: rule.imageUrl,
          },
          user: { nickname: user, personId: award.person.id },
        });
        // Counted now, stored with the transaction's next write.
        unit.tally.defer(next, this.counters.incrementsOf([next]));
        const chained = await this.judge(next, unit, depth + 1);
        // The award and its message changed what the next rules may read: fresh answers.
        ctx = this.context(unit);
        if (chained.status === 'processed') {
          awards.push(...chained.awards);
          ruleErrors.push(...chained.ruleErrors);
        }
      }
    }
    return { status: 'processed', awards, ruleErrors } as const;
  }

  /**
   * The award of a rule's badge to a recipient, unless they hold it already (the rules
   * filter those out; a second rule for the same badge would not). The person is created
   * on first sight, as fedbadges did; the award is written with the batch's others.
   */
  private async decideAward(
    rule: Rule,
    user: string,
    message: BusMessage,
    unit: Unit,
  ): Promise<NewAward | null> {
    const { m, view } = unit;
    if (await view.holds(rule.badgeId, user)) return null;
    const badge = await view.badge(rule.badgeId);
    let person = await view.person(user);
    if (!person) {
      const made = await this.users.createOnFirstSight(user, m);
      person = made.person;
      if (made.created) view.created(user, person);
    }
    const award = this.awards.newAward(badge, person, messageLink(message.id));
    unit.awards.push(award);
    await view.awarded(user, person, badge.id);
    return award;
  }

  /**
   * How far people are towards the badges the rules measured for them (pages show "37 of
   * 40"), for people the service knows and badges they do not hold, in one write. Of the
   * rungs of a ladder (rules counting the same thing), only the nearest target not reached.
   */
  private async recordProgress({ m, view, progress }: Unit): Promise<void> {
    const nearest = new Map<string, (typeof progress)[number]>();
    for (const p of progress) {
      if (await view.holds(p.badgeId, p.user)) continue;
      const key = `${p.user}\u0000${p.measure}`;
      const had = nearest.get(key);
      if (!had || p.target < had.target || (p.target === had.target && p.value > had.value))
        nearest.set(key, p);
    }
    const values = [];
    for (const p of nearest.values()) {
      const person = await view.person(p.user);
      if (person)
        values.push({ badgeId: p.badgeId, personId: person.id, value: p.value, target: p.target });
    }
    await this.progress.recordMany(values, m);
  }

  private ruleFailed(rule: Rule, error: string, into: RuleError[]): void {
    into.push({ badgeId: rule.badgeId, error });
    // Once per rule and error: a rule missing a key on every message would flood the log.
    const key = `${rule.badgeId}\0${error}`;
    if (!this.loggedErrors.has(key) && this.loggedErrors.size < 10_000) {
      this.loggedErrors.add(key);
      this.log.warn({ badge: rule.badgeId, error }, 'rule failed');
    }
  }

  private viewOf(m: EntityManager): AwardsView {
    return new AwardsView(
      m,
      { users: this.users, awards: this.awards, badges: this.badges },
      this.loader.book.rules.map((r) => r.badgeId),
    );
  }

  private context({ m, view, tally }: Unit): EvaluationContext {
    return {
      history: new HistoryStore(m, this.counters, tally),
      identities: this.identities.within(m),
      awards: view,
      bannedUsers: this.banned,
    };
  }

  /**
   * Loads history in bulk (datagrepper dumps before go-live): batched inserts, duplicates
   * skipped, then every counter recomputed from the history. Rules are not evaluated.
   */
  async backfill(
    messages: Iterable<BusMessage> | AsyncIterable<BusMessage>,
    onBatch?: (inserted: number, read: number) => void,
  ): Promise<{ read: number; inserted: number; counters: number }> {
    let read = 0;
    let inserted = 0;
    let batch: BusMessage[] = [];
    const flush = async () => {
      if (!batch.length) return;
      const rows = batch;
      batch = [];
      const ids = await this.ds.transaction((tx) => insertMessages(tx, rows));
      inserted += ids.size;
      onBatch?.(ids.size, rows.length);
    };
    for await (const message of messages) {
      batch.push(message);
      read++;
      if (batch.length >= BACKFILL_BATCH) await flush();
    }
    await flush();
    const counters = await this.counters.rebuildAll();
    return { read, inserted, counters };
  }

  /**
   * What a rule would have awarded over the stored history since `since`: each message
   * the rule may trigger on is evaluated against the history as it stood then, in a
   * read-only transaction that is rolled back. People who already hold the badge, or who
   * would have received it earlier in the run, are skipped as they would have been.
   */
  async dryRun(ruleText: string, since: Date, file = 'dry-run.yml'): Promise<DryRunResult> {
    let rule: Rule;
    try {
      rule = loadRule(file, ruleText);
    } catch (err) {
      const errors = (err as { errors?: RuleFileError[] }).errors;
      if (!errors?.length) throw ruleInvalid((err as Error).message);
      throw ruleInvalid(
        errors.map((e) => `${e.field ? `${e.field}: ` : ''}${e.reason}`).join('; '),
        ruleFieldErrors(errors),
      );
    }
    const runner = this.ds.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query('SET TRANSACTION READ ONLY');
      const m = runner.manager;
      return await dryRunOver(rule, since, m, (at) => ({
        history: new DryRunHistory(m, at),
        identities: this.identities.within(m),
        awards: this.viewOf(m),
        bannedUsers: this.banned,
      }));
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
  }
}

/** What the messages of one transaction share. */
interface Unit {
  m: EntityManager;
  /** Persons and holdings as this transaction knows them, its own awards included. */
  view: AwardsView;
  /** The counts this transaction knows, the messages it has yet to store, the batch's ledger. */
  tally: TransactionTally;
  /** Awards decided so far, written at the end of the transaction. */
  awards: NewAward[];
  /** Progress the rules measured, in order, written at the end of the transaction. */
  progress: (RuleProgress & { badgeId: string })[];
}

/** Where an award's "issued for" points: the message in Fedora's datagrepper. */
function messageLink(id: string): string {
  return `https://apps.fedoraproject.org/datagrepper/v2/id?id=${encodeURIComponent(id)}&is_raw=true&size=extra-large`;
}

/**
 * Rethrows what is not a rule's own failure. A refusal of the domain (a badge the rule
 * names that does not exist, a name no person may have) fails that rule only; anything
 * else — a database error above all, a deadlock between replicas say — has aborted the
 * transaction: PostgreSQL refuses every later statement and turns the COMMIT into a
 * rollback without an error, so going on would ack a message of which nothing was written.
 * The batch fails instead, and is retried or its culprit isolated.
 */
function rethrowUnlessRuleFailure(err: unknown): void {
  if (!(err instanceof DomainError)) throw err;
}
