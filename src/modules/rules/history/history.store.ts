import type { EntityManager } from 'typeorm';
import {
  type BusMessage,
  bucketKeysFor,
  type HistoryFilter,
  type HistoryPort,
  type HistoryRow,
  type SelectionCount,
  type SelectionRef,
} from '../engine';
import { BatchLedger } from './batch-ledger';
import type { CounterRegistry, Increments } from './counter-registry';
import { selectRows } from './history-rows';
import { filterSql, needsBodyCheck } from './history-sql';
import { allRowsBuckets } from './selection-counts';

/** Columns of one insert statement, as parallel arrays (one array parameter per column). */
function columns(messages: readonly BusMessage[]): unknown[] {
  return [
    messages.map((m) => m.id),
    messages.map((m) => m.topic),
    // Arrays of arrays cannot be unnested by rows, so users and packages travel as JSON.
    messages.map((m) => JSON.stringify([...new Set(m.users)])),
    messages.map((m) => JSON.stringify([...new Set(m.packages)])),
    messages.map((m) => m.agent),
    messages.map((m) => JSON.stringify(m.body ?? null)),
    messages.map((m) => JSON.stringify(m.headers ?? {})),
    messages.map((m) => m.sentAt.toISOString()),
  ];
}

const INSERT = `
  INSERT INTO messages (id, topic, users, packages, agent, body, headers, sent_at)
  SELECT id, topic,
         ARRAY(SELECT jsonb_array_elements_text(users::jsonb)),
         ARRAY(SELECT jsonb_array_elements_text(packages::jsonb)),
         agent, body::jsonb, headers::jsonb, sent_at::timestamptz
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                $7::text[], $8::text[])
      AS t(id, topic, users, packages, agent, body, headers, sent_at)
  ON CONFLICT (id) DO NOTHING
  RETURNING id`;

/**
 * Stores messages in the history, skipping those already there (same id). Returns the ids
 * actually inserted: a message whose id is not among them was a duplicate.
 */
export async function insertMessages(
  m: EntityManager,
  messages: readonly BusMessage[],
): Promise<Set<string>> {
  if (!messages.length) return new Set();
  const rows = (await m.query(INSERT, columns(messages))) as { id: string }[];
  return new Set(rows.map((r) => r.id));
}

/**
 * Stores messages and counts those that were new in the counters they match, in one
 * statement (one round trip for a whole batch). Returns the ids stored: a message whose id
 * is not among them was a duplicate. The counters' values after counting go into `known`:
 * the counts the rules about to judge these messages most often ask for. They stay exact
 * for the rest of the transaction, which holds the lock of every counter row it incremented
 * (while a batch is judged, BatchLedger takes off what its later messages added).
 * `increments[i]` are those of `messages[i]`; ids must be distinct.
 */
export async function storeCounted(
  m: EntityManager,
  messages: readonly BusMessage[],
  increments: readonly Increments[],
  known: Map<string, number>,
): Promise<Set<string>> {
  if (!messages.length) return new Set();
  const c = { ids: [] as string[], keys: [] as string[], users: [] as string[] };
  const s = {
    ids: [] as string[],
    keys: [] as string[],
    users: [] as string[],
    buckets: [] as string[],
  };
  messages.forEach((msg, i) => {
    const inc = increments[i];
    c.ids.push(...inc.counters.keys.map(() => msg.id));
    c.keys.push(...inc.counters.keys);
    c.users.push(...inc.counters.users);
    s.ids.push(...inc.selections.keys.map(() => msg.id));
    s.keys.push(...inc.selections.keys);
    s.users.push(...inc.selections.users);
    s.buckets.push(...inc.selections.buckets);
  });
  const rows = (await m.query(
    `WITH stored AS (${INSERT}),
     counted AS (
       INSERT INTO rule_counters AS c (filter_key, username, count)
       SELECT k, u, count(*) FROM unnest($9::text[], $10::text[], $11::text[]) AS t(id, k, u)
        WHERE id IN (SELECT id FROM stored)
        GROUP BY k, u ORDER BY k, u
       ON CONFLICT (filter_key, username) DO UPDATE SET count = c.count + excluded.count
       RETURNING filter_key, username, count),
     selected AS (
       INSERT INTO rule_selection_counts AS c (filter_key, username, bucket, count)
       SELECT k, u, b, count(*)
         FROM unnest($12::text[], $13::text[], $14::text[], $15::text[]) AS t(id, k, u, b)
        WHERE id IN (SELECT id FROM stored)
        GROUP BY k, u, b ORDER BY k, u, b
       ON CONFLICT (filter_key, username, bucket) DO UPDATE SET count = c.count + excluded.count)
     -- (A data-modifying WITH runs whether or not the query reads it.)
     SELECT id, NULL::text AS filter_key, NULL::text AS username, NULL::bigint AS count FROM stored
     UNION ALL SELECT NULL, filter_key, username, count FROM counted`,
    [...columns(messages), c.ids, c.keys, c.users, s.ids, s.keys, s.users, s.buckets],
  )) as {
    id: string | null;
    filter_key: string | null;
    username: string | null;
    count: string | null;
  }[];
  const stored = new Set<string>();
  for (const r of rows) {
    if (r.id !== null) stored.add(r.id);
    else known.set(counterCell(r.filter_key!, r.username!), Number(r.count));
  }
  return stored;
}

/** The key of a counter row in a `known` map. */
export const counterCell = (key: string, user: string) => `${key}\u0000${user}`;

/**
 * The message history as the engine sees it, inside one transaction: `count` from the
 * incremental counters when one is kept for the filter (one user, no time bounds or
 * paging), otherwise (and for `rows`) indexed SQL over `messages`.
 */
export class HistoryStore implements HistoryPort {
  private readonly rowsCache = new Map<string, Promise<HistoryRow[]>>();

  constructor(
    private readonly m: EntityManager,
    private readonly counters: CounterRegistry,
    /** Counter values this transaction knows (storeCounted), by counterCell. */
    private readonly known: ReadonlyMap<string, number> = new Map(),
    /** What the batch's messages after the one judged added: not its history. */
    private readonly ledger: BatchLedger = BatchLedger.none,
  ) {}

  /**
   * Answers are kept for the message being processed: rules of one family (the Tester or
   * Koji ladders) ask the same question, and nothing changes the history meanwhile (the
   * runtime takes a new store once an award's own message has been processed).
   */
  private readonly answers = new Map<string, Promise<unknown>>();

  private remember<T>(key: string, compute: () => Promise<T>): Promise<T> {
    let answer = this.answers.get(key) as Promise<T> | undefined;
    if (!answer) this.answers.set(key, (answer = compute()));
    return answer;
  }

  count(filter: HistoryFilter): Promise<number> {
    return this.remember(`count\u0000${JSON.stringify(filter)}`, () => this.countNow(filter));
  }

  private async countNow(filter: HistoryFilter): Promise<number> {
    const key = this.counters.readyKeyOf(filter);
    if (key !== null) {
      const user = filter.users![0];
      const later = this.ledger.laterCount(key, user);
      const known = this.known.get(counterCell(key, user));
      if (known !== undefined) return known - later;
      const [row] = (await this.m.query(
        `SELECT count FROM rule_counters WHERE filter_key = $1 AND username = $2`,
        [key, user],
      )) as { count: string }[];
      return (row ? Number(row.count) : 0) - later;
    }
    return this.sqlCount(filter);
  }

  /** The count from history alone, whatever counters exist (tests compare both). */
  async sqlCount(filter: HistoryFilter): Promise<number> {
    if (needsBodyCheck(filter))
      return (await this.rows({ ...filter, rowsPerPage: undefined })).length;
    const { where, params } = filterSql(filter);
    const later = this.ledger.laterIds;
    const [row] = (await this.m.query(
      `SELECT count(*)::bigint AS n FROM messages WHERE ${where}` +
        (later.length ? ` AND NOT (id = ANY($${params.length + 1}::text[]))` : ''),
      later.length ? [...params, later] : params,
    )) as { n: string }[];
    return Number(row.n);
  }

  /**
   * Rows are read once per filter for the message being processed: rules of one family
   * (the Koji build ladders...) ask the same question, and history does not change while
   * one message is evaluated.
   */
  rows(filter: HistoryFilter): Promise<HistoryRow[]> {
    const key = JSON.stringify(filter);
    let rows = this.rowsCache.get(key);
    if (!rows) {
      const later = this.ledger.laterIds;
      const notLater = later.length
        ? { where: 'NOT (id = ANY($1::text[]))', params: [later] }
        : undefined;
      this.rowsCache.set(key, (rows = selectRows(this.m, filter, notLater)));
    }
    return rows;
  }

  /**
   * A selection's count from its counter (a few primary-key reads), or null while none is
   * kept for it (one is then filled after this transaction) or when the filter is paged and
   * its rows exceed the one page `query.all()` returns: then the engine reads the rows.
   */
  countSelection(
    filter: HistoryFilter,
    selection: SelectionRef,
    values: readonly string[],
  ): Promise<SelectionCount | null> {
    return this.remember(
      `selection\u0000${selection.key}\u0000${JSON.stringify(filter)}\u0000${JSON.stringify(values)}`,
      () => this.countSelectionNow(filter, selection, values),
    );
  }

  private async countSelectionNow(
    filter: HistoryFilter,
    selection: SelectionRef,
    values: readonly string[],
  ): Promise<SelectionCount | null> {
    const counter = this.counters.readySelection(filter, selection);
    if (!counter) return null;
    const keys = bucketKeysFor(values);
    const paged = filter.rowsPerPage !== undefined && filter.rowsPerPage !== null;
    const totals = paged ? allRowsBuckets(counter.scope) : [];
    const user = counter.scope === 'user' ? filter.users![0] : '';
    const rows = (await this.m.query(
      `SELECT bucket, count FROM rule_selection_counts
        WHERE filter_key = $1 AND username = $2 AND bucket = ANY($3::text[])`,
      [counter.key, user, [keys.count, ...keys.errors, ...totals]],
    )) as { bucket: string; count: string }[];
    const got = new Map(
      rows.map((r) => [
        r.bucket,
        Number(r.count) - this.ledger.laterSelection(counter.key, user, r.bucket),
      ]),
    );
    const sum = (buckets: readonly string[]) => buckets.reduce((n, b) => n + (got.get(b) ?? 0), 0);
    if (paged && sum(totals) > Math.max(0, Math.floor(filter.rowsPerPage!))) return null;
    return { count: got.get(keys.count) ?? 0, errors: sum(keys.errors) };
  }
}
