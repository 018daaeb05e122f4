/**
 * A HistoryPort over messages held in memory, answered by scanning with `matchesFilter`.
 * For `rules test` style dry runs and the engine's tests; the service uses the indexed
 * history store with incremental counters instead.
 */
import { matchesFilter } from './filters';
import type { BusMessage, HistoryFilter, HistoryPort, HistoryRow, SelectionCount } from './ports';
import { rowObject } from './prepared';
import { countByScan, type Selection } from './selection';

export class MemoryHistory implements HistoryPort {
  private readonly messages: BusMessage[] = [];
  private readonly ids = new Set<string>();

  /** Adds a message (deduplicated by id); returns false when it was already there. */
  add(message: BusMessage): boolean {
    if (this.ids.has(message.id)) return false;
    this.ids.add(message.id);
    this.messages.push(message);
    return true;
  }

  get size(): number {
    return this.messages.length;
  }

  private matching(filter: HistoryFilter): BusMessage[] {
    return this.messages.filter((m) =>
      matchesFilter(filter, {
        topic: m.topic,
        users: m.users,
        packages: m.packages,
        body: m.body,
        sentAt: m.sentAt,
      }),
    );
  }

  count(filter: HistoryFilter): Promise<number> {
    return Promise.resolve(this.matching(filter).length);
  }

  /** Matching rows by sentAt (`order`, default asc), paged when rowsPerPage is given. */
  rows(filter: HistoryFilter): Promise<HistoryRow[]> {
    const sorted = this.matching(filter).sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime());
    if (filter.order === 'desc') sorted.reverse();
    const perPage = filter.rowsPerPage;
    const page = filter.page ?? 1;
    const paged = perPage ? sorted.slice(perPage * (page - 1), perPage * page) : sorted;
    return Promise.resolve(
      paged.map((m) => ({
        id: m.id,
        topic: m.topic,
        msg: m.body,
        headers: m.headers,
        timestamp: m.sentAt,
        users: m.users,
        packages: m.packages,
      })),
    );
  }

  /** Scans the rows `query.all()` would hand the lambda. */
  async countSelection(
    filter: HistoryFilter,
    selection: Selection,
    values: readonly string[],
  ): Promise<SelectionCount> {
    return countByScan(selection, (await this.rows(filter)).map(rowObject), values);
  }
}
