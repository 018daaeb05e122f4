import type { EntityManager } from 'typeorm';
import {
  bucketKeysFor,
  type HistoryFilter,
  type HistoryPort,
  type HistoryRow,
  type SelectionCount,
  type SelectionRef,
} from '../engine';
import type { CounterRegistry } from './counter-registry';
import { selectRows } from './history-rows';
import { filterSql, needsBodyCheck } from './history-sql';
import { allRowsBuckets } from './selection-counts';
import { TransactionTally } from './transaction-tally';

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
    /** What the transaction knows of its counts, and what of the history is not yet the judged message's. */
    private readonly tally: TransactionTally = new TransactionTally(m),
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
    if (key !== null) return this.tally.count(key, filter.users![0]);
    return this.sqlCount(filter);
  }

  /** The count from history alone, whatever counters exist (tests compare both). */
  async sqlCount(filter: HistoryFilter): Promise<number> {
    if (needsBodyCheck(filter))
      return (await this.rows({ ...filter, rowsPerPage: undefined })).length;
    await this.tally.beforeReading(filter);
    const { where, params } = filterSql(filter);
    const later = this.tally.ledger.laterIds;
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
    if (!rows) this.rowsCache.set(key, (rows = this.readRows(filter)));
    return rows;
  }

  private async readRows(filter: HistoryFilter): Promise<HistoryRow[]> {
    await this.tally.beforeReading(filter);
    const later = this.tally.ledger.laterIds;
    const notLater = later.length
      ? { where: 'NOT (id = ANY($1::text[]))', params: [later] }
      : undefined;
    return selectRows(this.m, filter, notLater);
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
    const reads = selectionReads(this.counters, filter, selection, values);
    if (!reads) return null;
    const got = await this.tally.selection(reads.key, reads.user, [
      reads.count,
      ...reads.errors,
      ...reads.totals,
    ]);
    const sum = (buckets: readonly string[]) => buckets.reduce((n, b) => n + (got.get(b) ?? 0), 0);
    if (reads.rowsPerPage !== null && sum(reads.totals) > reads.rowsPerPage) return null;
    return { count: got.get(reads.count) ?? 0, errors: sum(reads.errors) };
  }
}

/**
 * The counter and buckets that answer a selection over a filter for these values, or null
 * while no counter is kept for it (then an eligible one is filled after the transaction).
 */
export function selectionReads(
  counters: CounterRegistry,
  filter: HistoryFilter,
  selection: SelectionRef,
  values: readonly string[],
): {
  key: string;
  user: string;
  count: string;
  errors: string[];
  /** The row-total buckets, read when the filter is paged. */
  totals: string[];
  /** The page `query.all()` returns, when the filter is paged. */
  rowsPerPage: number | null;
} | null {
  const counter = counters.readySelection(filter, selection);
  if (!counter) return null;
  const keys = bucketKeysFor(values);
  const paged = filter.rowsPerPage !== undefined && filter.rowsPerPage !== null;
  return {
    key: counter.key,
    user: counter.scope === 'user' ? filter.users![0] : '',
    count: keys.count,
    errors: keys.errors,
    totals: paged ? allRowsBuckets(counter.scope) : [],
    rowsPerPage: paged ? Math.max(0, Math.floor(filter.rowsPerPage!)) : null,
  };
}
