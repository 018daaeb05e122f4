import { Batcher } from './batcher';

/** A batcher over numbers whose runs are recorded; `fail` decides which runs throw. */
function recording(opts: { maxSize?: number; fail?: (items: number[]) => Error | null } = {}) {
  const runs: number[][] = [];
  const batcher = new Batcher<number, string>({
    maxSize: opts.maxSize ?? 10,
    isolateOn: (err) => (err as Error).message !== 'outage',
    run: async (items) => {
      runs.push(items);
      await new Promise((r) => setTimeout(r, 5));
      const err = opts.fail?.(items);
      if (err) throw err;
      return items.map((i) => `done ${i}`);
    },
  });
  return { batcher, runs };
}

describe('Batcher', () => {
  it('runs a lone item at once, and items submitted together in one run', async () => {
    const { batcher, runs } = recording();
    expect(await batcher.submit(1)).toBe('done 1');
    expect(await Promise.all([2, 3, 4].map((i) => batcher.submit(i)))).toEqual([
      'done 2',
      'done 3',
      'done 4',
    ]);
    expect(runs).toEqual([[1], [2, 3, 4]]);
  });

  it('gathers what arrives during a run into the next one, in order, at most maxSize at a time', async () => {
    const { batcher, runs } = recording({ maxSize: 3 });
    const first = batcher.submit(1);
    await new Promise((r) => setImmediate(r)); // the first run has started
    const later = [2, 3, 4, 5, 6, 7, 8].map((i) => batcher.submit(i));
    expect(batcher.backlog).toBe(7);
    await Promise.all([first, ...later]);
    expect(runs).toEqual([[1], [2, 3, 4], [5, 6, 7], [8]]);
    expect(batcher.backlog).toBe(0);
  });

  it('runs the items of a failed run one by one, so only the culprit fails', async () => {
    const { batcher, runs } = recording({
      fail: (items) => (items.includes(2) ? new Error('bad item 2') : null),
    });
    const settled = await Promise.allSettled([1, 2, 3].map((i) => batcher.submit(i)));
    expect(settled).toEqual([
      { status: 'fulfilled', value: 'done 1' },
      { status: 'rejected', reason: new Error('bad item 2') },
      { status: 'fulfilled', value: 'done 3' },
    ]);
    expect(runs).toEqual([[1, 2, 3], [1], [2], [3]]);
  });

  it('fails every item of a run at once when the error is not theirs (an outage)', async () => {
    let down = true;
    const { batcher, runs } = recording({ fail: () => (down ? new Error('outage') : null) });
    const settled = await Promise.allSettled([1, 2, 3].map((i) => batcher.submit(i)));
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(runs).toEqual([[1, 2, 3]]);
    // Back up: the next items run as usual.
    down = false;
    expect(await batcher.submit(4)).toBe('done 4');
  });
});
