import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import {
  type BusMessage,
  counterKeyOf,
  type HistoryFilter,
  matchesFilter,
  Selection,
  selectionKeyOf,
  type SelectionRef,
  type SelectionScope,
} from '../engine';
import { filterSql, needsBodyCheck } from './history-sql';
import { selectRows } from './history-rows';
import { addSelectionCounts, fillSelectionCounts, selectionIncrements } from './selection-counts';

/**
 * The advisory lock that orders message transactions against counter initialisation.
 *
 * Every transaction that stores messages takes it SHARED (they run side by side, on any
 * replica); filling a new counter from history takes it EXCLUSIVE. So when a fill runs, no
 * message transaction is in flight: its statements (taken after the lock is granted, so
 * their snapshots are newer) see every committed message, and no uncommitted one can later
 * commit without having been counted. And a message transaction, which reads the list of
 * ready counters after taking its shared lock, sees every fill that committed before it:
 * it increments exactly the counters whose fill did not include its message. No xid or
 * snapshot arithmetic is needed, and the waits are short (a fill is one indexed
 * aggregation; message transactions last milliseconds).
 */
export const COUNTERS_LOCK = 1_764_100_001;

export interface CounterFilter {
  key: string;
  /** The filter minus `users`: a counter counts, per user, the messages matching it. */
  filter: HistoryFilter;
  /** For a selection counter (see selection-counts.ts): the selection and its scope. */
  selection: Selection | null;
  scope: SelectionScope;
}

/** A counter asked for, not kept yet. */
interface Wanted {
  filter: HistoryFilter;
  /** The selection's lambda, for a selection counter. */
  selection: string | null;
  scope: SelectionScope;
}

/** The part of a filter a counter is kept for (everything but the one user). */
export function counterPart(filter: HistoryFilter): HistoryFilter {
  const rest: HistoryFilter = { ...filter };
  delete rest.users;
  return rest;
}

/** The counter key of a filter's non-user part, or null when no counter can answer it. */
export function counterKeyOfPart(part: HistoryFilter): string | null {
  return counterKeyOf({ ...part, users: ['-'] });
}

/**
 * Per-(filter, user) message counters, kept incrementally. One instance per process; it
 * caches the list of ready counter filters (indexed by topic), refreshed whenever another
 * transaction or replica registered one (the `seq` of rule_counter_filters moved).
 */
export class CounterRegistry {
  private readonly log = new Logger('RuleCounters');
  private version = '';
  private readonly ready = new Map<string, CounterFilter>();
  private byTopic = new Map<string, CounterFilter[]>();
  private anyTopic: CounterFilter[] = [];
  private readonly pending = new Map<string, Wanted>();
  private flushing: Promise<void> | null = null;

  constructor(private readonly ds: DataSource) {}

  /**
   * Starts a message transaction's work on history: the shared lock, then (in a later
   * statement, so its snapshot includes every fill committed before the lock was granted)
   * the current list of counter filters.
   */
  async enter(m: EntityManager): Promise<void> {
    await m.query('SELECT pg_advisory_xact_lock_shared($1)', [COUNTERS_LOCK]);
    const [row] = (await m.query(
      `SELECT coalesce(max(seq), 0)::text || '/' || count(*)::text AS version
         FROM rule_counter_filters WHERE ready`,
    )) as { version: string }[];
    if (row.version !== this.version) await this.reload(m, row.version);
  }

  private async reload(m: EntityManager, version: string): Promise<void> {
    const rows = (await m.query(
      `SELECT filter_key, filter, selection, scope FROM rule_counter_filters WHERE ready`,
    )) as StoredFilter[];
    this.ready.clear();
    const byTopic = new Map<string, CounterFilter[]>();
    const anyTopic: CounterFilter[] = [];
    for (const r of rows) {
      const selection = r.selection === null ? null : Selection.of(r.selection);
      // A selection this version cannot read again is left alone (counted by rows instead).
      if (r.selection !== null && !selection) continue;
      const entry: CounterFilter = {
        key: r.filter_key,
        filter: r.filter,
        selection,
        scope: r.scope,
      };
      this.ready.set(entry.key, entry);
      if (r.filter.topics?.length) {
        for (const t of r.filter.topics) byTopic.set(t, [...(byTopic.get(t) ?? []), entry]);
      } else {
        anyTopic.push(entry);
      }
    }
    this.byTopic = byTopic;
    this.anyTopic = anyTopic;
    this.version = version;
  }

  /** The key whose counter answers this filter now, or null (then count in SQL). */
  readyKeyOf(filter: HistoryFilter): string | null {
    if (filter.users?.length !== 1) return null;
    const key = counterKeyOf(filter);
    if (key === null) return null;
    if (this.ready.has(key)) return key;
    // Eligible but not kept yet: start keeping it (after this transaction).
    if (!this.pending.has(key))
      this.pending.set(key, { filter: counterPart(filter), selection: null, scope: 'user' });
    return null;
  }

  /** Keys of the selection counters kept now (after `enter`). */
  readySelectionKeys(): string[] {
    return [...this.ready.values()].filter((c) => c.selection).map((c) => c.key);
  }

  /**
   * The counter that answers this selection over this filter now, or null (then the rows
   * are read); an eligible one not kept yet is filled after this transaction.
   */
  readySelection(
    filter: HistoryFilter,
    selection: SelectionRef,
  ): { key: string; scope: SelectionScope } | null {
    const k = selectionKeyOf(filter, selection.key);
    if (!k) return null;
    if (this.ready.has(k.key)) return k;
    if (!this.pending.has(k.key))
      this.pending.set(k.key, {
        filter: counterPart(filter),
        selection: selection.key,
        scope: k.scope,
      });
    return null;
  }

  /**
   * What storing these messages adds to the ready counters they match (after `enter`):
   * (filter key, user) pairs for count counters, (filter key, user, bucket) for selections.
   */
  incrementsOf(messages: readonly BusMessage[]): Increments {
    const inc: Increments = {
      counters: { keys: [], users: [] },
      selections: { keys: [], users: [], buckets: [] },
    };
    for (const msg of messages) {
      const candidates = [...(this.byTopic.get(msg.topic) ?? []), ...this.anyTopic];
      for (const c of candidates) {
        if (!matchesFilter(c.filter, msg)) continue;
        if (c.selection) {
          for (const [u, b] of selectionIncrements(c.selection, c.scope, asRow(msg))) {
            inc.selections.keys.push(c.key);
            inc.selections.users.push(u);
            inc.selections.buckets.push(b);
          }
          continue;
        }
        for (const u of new Set(msg.users)) {
          inc.counters.keys.push(c.key);
          inc.counters.users.push(u);
        }
      }
    }
    return inc;
  }

  /**
   * Counts stored messages in every ready counter they match, in their transaction (after
   * `enter`). Rows are locked in key order, the same in every transaction, so concurrent
   * messages do not deadlock here. (The rules service stores a message and counts it in
   * one statement, `storeCounted`; this is for bulk paths and tests.)
   */
  async increment(m: EntityManager, messages: readonly BusMessage[]): Promise<void> {
    const inc = this.incrementsOf(messages);
    const { keys, users } = inc.counters;
    if (keys.length)
      await m.query(
        `INSERT INTO rule_counters AS c (filter_key, username, count)
         SELECT k, u, count(*) FROM unnest($1::text[], $2::text[]) AS t(k, u)
          GROUP BY k, u ORDER BY k, u
         ON CONFLICT (filter_key, username) DO UPDATE SET count = c.count + excluded.count`,
        [keys, users],
      );
    const sel = inc.selections;
    await addSelectionCounts(m, sel.keys, sel.users, sel.buckets);
  }

  /** Asks for counters of these filters (their non-user part), filled after the caller's work. */
  want(filters: readonly HistoryFilter[]): void {
    for (const f of filters) {
      const part = counterPart(f);
      const key = counterKeyOfPart(part);
      if (key !== null && !this.ready.has(key) && !this.pending.has(key))
        this.pending.set(key, { filter: part, selection: null, scope: 'user' });
    }
  }

  get hasPending(): boolean {
    return this.pending.size > 0;
  }

  /**
   * Fills the counters asked for since the last call, each from history once. Must not be
   * awaited inside a message transaction (it waits for them all to end).
   */
  flush(): Promise<void> {
    if (!this.flushing && this.pending.size) {
      // Assigned before the loop's first await can clear it (the loop always awaits).
      this.flushing = this.drain().finally(() => {
        this.flushing = null;
      });
    }
    return this.flushing ?? Promise.resolve();
  }

  private async drain(): Promise<void> {
    while (this.pending.size) {
      const batch = [...this.pending.entries()];
      await this.fill(batch);
      for (const [key] of batch) this.pending.delete(key);
    }
  }

  private async fill(batch: [string, Wanted][]): Promise<void> {
    await this.ds.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [COUNTERS_LOCK]);
      const known = (await tx.query(
        `SELECT filter_key FROM rule_counter_filters WHERE filter_key = ANY($1::text[]) AND ready`,
        [batch.map(([k]) => k)],
      )) as { filter_key: string }[];
      const skip = new Set(known.map((r) => r.filter_key));
      for (const [key, wanted] of batch) {
        if (skip.has(key)) continue;
        await tx.query(
          `INSERT INTO rule_counter_filters (filter_key, filter, selection, scope, ready)
           VALUES ($1, $2, $3, $4, false)
           ON CONFLICT (filter_key) DO UPDATE SET filter = excluded.filter`,
          [key, JSON.stringify(wanted.filter), wanted.selection, wanted.scope],
        );
        await this.fillOne(tx, key, wanted);
        await tx.query(
          `UPDATE rule_counter_filters
              SET ready = true, seq = nextval(pg_get_serial_sequence('rule_counter_filters', 'seq'))
            WHERE filter_key = $1`,
          [key],
        );
      }
      if (batch.length > skip.size)
        this.log.log(`counters ready for ${batch.length - skip.size} new filter(s)`);
    });
  }

  private async fillOne(tx: EntityManager, key: string, wanted: Wanted): Promise<void> {
    const filter = wanted.filter;
    if (wanted.selection !== null) {
      const selection = Selection.of(wanted.selection);
      if (selection) await fillSelectionCounts(tx, key, filter, selection, wanted.scope);
      return;
    }
    await tx.query(`DELETE FROM rule_counters WHERE filter_key = $1`, [key]);
    if (needsBodyCheck(filter)) {
      // Only the engine can tell `contains` matches: count the rows it accepts.
      const perUser = new Map<string, number>();
      for (const row of await selectRows(tx, filter))
        for (const u of new Set(row.users)) perUser.set(u, (perUser.get(u) ?? 0) + 1);
      await tx.query(
        `INSERT INTO rule_counters (filter_key, username, count)
         SELECT $1, u, n FROM unnest($2::text[], $3::bigint[]) AS t(u, n)`,
        [key, [...perUser.keys()], [...perUser.values()]],
      );
      return;
    }
    const { where, params } = filterSql(filter, 2);
    await tx.query(
      `INSERT INTO rule_counters (filter_key, username, count)
       SELECT $1, u, count(*) FROM messages, unnest(users) AS u WHERE ${where} GROUP BY u`,
      [key, ...params],
    );
  }

  /**
   * Recomputes every counter from history (after a bulk load of history that bypassed
   * them), under the exclusive lock: concurrent message transactions wait, then continue.
   */
  async rebuildAll(): Promise<number> {
    let n = 0;
    await this.ds.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [COUNTERS_LOCK]);
      const rows = (await tx.query(
        `SELECT filter_key, filter, selection, scope FROM rule_counter_filters`,
      )) as StoredFilter[];
      for (const r of rows) await this.fillOne(tx, r.filter_key, r);
      await tx.query(
        `UPDATE rule_counter_filters
            SET ready = true, seq = nextval(pg_get_serial_sequence('rule_counter_filters', 'seq'))`,
      );
      n = rows.length;
    });
    return n;
  }
}

/** Counter increments, as parallel arrays (one array parameter per column). */
export interface Increments {
  counters: { keys: string[]; users: string[] };
  selections: { keys: string[]; users: string[]; buckets: string[] };
}

interface StoredFilter {
  filter_key: string;
  filter: HistoryFilter;
  selection: string | null;
  scope: SelectionScope;
}

/** A message as the history row it becomes (what selections look at). */
function asRow(msg: BusMessage) {
  return {
    id: msg.id,
    topic: msg.topic,
    msg: msg.body,
    headers: msg.headers,
    timestamp: msg.sentAt,
    users: msg.users,
    packages: msg.packages,
  };
}
