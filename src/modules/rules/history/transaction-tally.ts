import type { EntityManager } from 'typeorm';
import { type BusMessage, type HistoryFilter, matchesFilter } from '../engine';
import { BatchLedger } from './batch-ledger';
import { counterCell, selectionCell } from './cells';
import type { Increments } from './counter-registry';
import { storeCounted } from './message-writes';

/**
 * What one transaction knows of the history it writes, so that rules read counts with as
 * few round trips as possible while staying exact:
 *
 * - Counter and selection rows, once read or returned by a write. This transaction holds
 *   the lock of every row it incremented, and applies its own later increments to what it
 *   keeps, so the values stay exact until it commits. (A row it only read may be moved by
 *   another replica's commit meanwhile, as a re-read under READ COMMITTED would show too.)
 * - Messages this transaction made (award messages) are counted at once but stored later,
 *   several in one statement: before anything reads rows they could match, or at the end.
 * - The ledger of a batch stored before its messages are judged (see BatchLedger).
 */
export class TransactionTally {
  private readonly counters = new Map<string, number>();
  private readonly selections = new Map<string, number>();
  /**
   * Selection keys and users whose every bucket was read together (each key for each
   * user), and single cells read: a bucket not kept is 0 for them.
   */
  private readonly complete: { keys: ReadonlySet<string>; users: ReadonlySet<string> }[] = [];
  private readonly completeCells = new Set<string>();
  private deferred: { message: BusMessage; inc: Increments }[] = [];
  private readonly deferredCounts = new Map<string, number>();
  private readonly deferredSelections = new Map<string, number>();
  ledger: BatchLedger = BatchLedger.none;

  constructor(readonly m: EntityManager) {}

  /**
   * Stores messages and counts those that were new (one statement); returns the ids stored.
   * Deferred messages go first, so the history keeps its order.
   */
  async store(messages: readonly BusMessage[], incs: readonly Increments[]): Promise<Set<string>> {
    const all = [...this.deferred.map((d) => d.message), ...messages];
    const allIncs = [...this.deferred.map((d) => d.inc), ...incs];
    const stored = await storeCounted(this.m, all, allIncs, this.counters);
    // What those statements added to selection rows this transaction had read.
    all.forEach((msg, i) => {
      if (!stored.has(msg.id)) return;
      const s = allIncs[i].selections;
      s.keys.forEach((k, j) => {
        const had = this.cachedSelection(k, s.users[j], s.buckets[j]);
        if (had !== undefined)
          this.selections.set(selectionCell(k, s.users[j], s.buckets[j]), had + 1);
      });
    });
    const lost = this.deferred.filter((d) => !stored.has(d.message.id));
    if (lost.length)
      // Our own messages have fresh ids: one already stored means this work is confused.
      throw new Error(`message ${lost[0].message.id} of this transaction was stored already`);
    this.deferred = [];
    this.deferredCounts.clear();
    this.deferredSelections.clear();
    return stored;
  }

  /** A message made in this transaction (an award's): counted now, stored with the next write. */
  defer(message: BusMessage, inc: Increments): void {
    this.deferred.push({ message, inc });
    const { counters: c, selections: s } = inc;
    c.keys.forEach((k, i) => bump(this.deferredCounts, counterCell(k, c.users[i])));
    s.keys.forEach((k, i) =>
      bump(this.deferredSelections, selectionCell(k, s.users[i], s.buckets[i])),
    );
  }

  /** Stores the deferred messages a filter could match, before rows are read with it. */
  async beforeReading(filter: HistoryFilter): Promise<void> {
    if (this.deferred.some((d) => matchesFilter(filter, d.message))) await this.store([], []);
  }

  /** Stores whatever is deferred (before the transaction ends). */
  async flush(): Promise<void> {
    if (this.deferred.length) await this.store([], []);
  }

  /** A counter's value for the message being judged. */
  async count(key: string, user: string): Promise<number> {
    const c = counterCell(key, user);
    let value = this.counters.get(c);
    if (value === undefined) {
      const [row] = (await this.m.query(
        `SELECT count FROM rule_counters WHERE filter_key = $1 AND username = $2`,
        [key, user],
      )) as { count: string }[];
      value = row ? Number(row.count) : 0;
      this.counters.set(c, value);
    }
    return value + (this.deferredCounts.get(c) ?? 0) - this.ledger.laterCount(key, user);
  }

  /**
   * Reads, in one statement, every bucket of these selection counters for these users (the
   * users of a batch's messages, whom its rules mostly ask about), and the given cells of
   * the whole-filter counters (user ''): those the batch's rules will ask for. A
   * whole-filter counter has a bucket per compared value (thousands for a selection by
   * update submitter), far more than a batch needs; a cell not read here is read when asked.
   */
  async prefetchSelections(
    keys: readonly string[],
    users: readonly string[],
    wholeFilter: { keys: readonly string[]; buckets: readonly string[] },
  ): Promise<void> {
    if (!keys.length && !wholeFilter.keys.length) return;
    // Probes of the primary key: per key and user (LATERAL), per asked cell (the pairs).
    const rows = (await this.m.query(
      `SELECT c.filter_key, c.username, c.bucket, c.count
         FROM unnest($1::text[]) AS k(key)
         CROSS JOIN LATERAL (
           SELECT filter_key, username, bucket, count FROM rule_selection_counts
            WHERE filter_key = k.key AND username = ANY($2::text[])) c
       UNION ALL
       SELECT c.filter_key, c.username, c.bucket, c.count
         FROM unnest($3::text[], $4::text[]) AS w(key, bucket)
         JOIN rule_selection_counts c
           ON c.filter_key = w.key AND c.username = '' AND c.bucket = w.bucket`,
      [keys, users, wholeFilter.keys, wholeFilter.buckets],
    )) as { filter_key: string; username: string; bucket: string; count: string }[];
    this.complete.push({ keys: new Set(keys), users: new Set(users) });
    wholeFilter.keys.forEach((k, i) =>
      this.completeCells.add(selectionCell(k, '', wholeFilter.buckets[i])),
    );
    for (const r of rows)
      this.selections.set(selectionCell(r.filter_key, r.username, r.bucket), Number(r.count));
  }

  private cachedSelection(key: string, user: string, bucket: string): number | undefined {
    return (
      this.selections.get(selectionCell(key, user, bucket)) ??
      (this.completeCells.has(selectionCell(key, user, bucket)) ||
      this.complete.some((c) => c.keys.has(key) && c.users.has(user))
        ? 0
        : undefined)
    );
  }

  /** A selection counter's buckets for the message being judged (missing ones are 0). */
  async selection(
    key: string,
    user: string,
    buckets: readonly string[],
  ): Promise<Map<string, number>> {
    const missing = buckets.filter((b) => this.cachedSelection(key, user, b) === undefined);
    if (missing.length) {
      const rows = (await this.m.query(
        `SELECT bucket, count FROM rule_selection_counts
          WHERE filter_key = $1 AND username = $2 AND bucket = ANY($3::text[])`,
        [key, user, missing],
      )) as { bucket: string; count: string }[];
      for (const b of missing) this.selections.set(selectionCell(key, user, b), 0);
      for (const r of rows)
        this.selections.set(selectionCell(key, user, r.bucket), Number(r.count));
    }
    return new Map(
      buckets.map((b) => {
        const c = selectionCell(key, user, b);
        const value =
          this.cachedSelection(key, user, b)! +
          (this.deferredSelections.get(c) ?? 0) -
          this.ledger.laterSelection(key, user, b);
        return [b, value];
      }),
    );
  }
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
