interface Waiting<T, R> {
  item: T;
  resolve(result: R): void;
  reject(err: unknown): void;
}

export interface BatcherOptions<T, R> {
  /** Runs items together (one transaction); returns one result per item, in order. */
  run(items: T[]): Promise<R[]>;
  /** Most items in one run. */
  maxSize: number;
  /**
   * Whether a failed run may be caused by one of its items, so that each item is run again
   * on its own and only the culprit fails (false for an outage: every item would fail).
   */
  isolateOn(err: unknown): boolean;
}

/**
 * Groups items submitted while a run is in progress into the next run, so that messages
 * arriving together share a transaction (one commit, one pass of the award triggers)
 * instead of one each; a lone item runs at once. Each submitter gets its own item's result
 * or error, as if it had run alone: when a run fails, its items are run again one by one.
 * One run at a time, in submission order.
 */
export class Batcher<T, R> {
  private waiting: Waiting<T, R>[] = [];
  private running = false;

  constructor(private readonly options: BatcherOptions<T, R>) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.running) {
        this.running = true;
        // Items delivered in the same turn of the event loop join the first run.
        setImmediate(() => void this.drain());
      }
    });
  }

  /** Items waiting for a run. */
  get backlog(): number {
    return this.waiting.length;
  }

  private async drain(): Promise<void> {
    while (this.waiting.length) {
      await this.runTogether(this.waiting.splice(0, this.options.maxSize));
    }
    this.running = false;
  }

  private async runTogether(batch: Waiting<T, R>[]): Promise<void> {
    let results: R[];
    try {
      results = await this.options.run(batch.map((w) => w.item));
    } catch (err) {
      if (batch.length > 1 && this.options.isolateOn(err)) {
        for (const w of batch) await this.runTogether([w]);
      } else {
        for (const w of batch) w.reject(err);
      }
      return;
    }
    batch.forEach((w, i) => w.resolve(results[i]));
  }
}
