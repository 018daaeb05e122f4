import { counterCell, selectionCell } from './cells';
import type { Increments } from './counter-registry';

/**
 * A batch's messages are stored and counted together before the first is judged, but each
 * must be judged on the history as it stood when it arrived: itself and the messages
 * before it, not those after. The ledger holds what the later messages added (their
 * counter increments and their ids), so that the history store can take it off the counts
 * and leave their rows out. `advance` moves on to the next message.
 */
export class BatchLedger {
  private readonly counters = new Map<string, number>();
  private readonly selections = new Map<string, number>();
  private readonly pending: readonly { id: string; inc: Increments }[];
  /** Index in `pending` of the next message to be judged. */
  private next = 0;
  private readonly later = new Set<string>();

  /** The stored messages of the batch, in order, with their increments. */
  constructor(stored: readonly { id: string; inc: Increments }[]) {
    this.pending = [...stored];
    for (const { id, inc } of stored) {
      this.later.add(id);
      this.add(inc, 1);
    }
  }

  /** No batch: nothing to take off. */
  static readonly none = new BatchLedger([]);

  /**
   * The message about to be judged (it must be the next stored one): from now on its
   * increments and its row are part of the history it and the next ones see.
   */
  advance(id: string): void {
    const next = this.pending[this.next++];
    if (!next || next.id !== id) throw new Error(`batch ledger out of order at ${id}`);
    this.later.delete(id);
    this.add(next.inc, -1);
  }

  /** What later messages added to a counter row (filter key, user). */
  laterCount(key: string, user: string): number {
    return this.counters.get(counterCell(key, user)) ?? 0;
  }

  /** What later messages added to a selection count row (filter key, user, bucket). */
  laterSelection(key: string, user: string, bucket: string): number {
    return this.selections.get(selectionCell(key, user, bucket)) ?? 0;
  }

  /** Ids of the batch's messages stored but not judged yet: not history for the current one. */
  get laterIds(): string[] {
    return [...this.later];
  }

  private add(inc: Increments, sign: 1 | -1): void {
    const { counters: c, selections: s } = inc;
    c.keys.forEach((k, i) => bump(this.counters, counterCell(k, c.users[i]), sign));
    s.keys.forEach((k, i) =>
      bump(this.selections, selectionCell(k, s.users[i], s.buckets[i]), sign),
    );
  }
}

function bump(map: Map<string, number>, key: string, by: number): void {
  const n = (map.get(key) ?? 0) + by;
  if (n) map.set(key, n);
  else map.delete(key);
}
