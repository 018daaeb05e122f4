import { BatchLedger } from './batch-ledger';
import type { Increments } from './counter-registry';

const inc = (counters: [string, string][], selections: [string, string, string][] = []) =>
  ({
    counters: { keys: counters.map((c) => c[0]), users: counters.map((c) => c[1]) },
    selections: {
      keys: selections.map((s) => s[0]),
      users: selections.map((s) => s[1]),
      buckets: selections.map((s) => s[2]),
    },
  }) satisfies Increments;

describe('BatchLedger', () => {
  it('holds what the messages after the current one added, and lets go as it advances', () => {
    const ledger = new BatchLedger([
      { id: 'a', inc: inc([['k', 'ann']], [['s', 'ann', 'b1']]) },
      {
        id: 'b',
        inc: inc([
          ['k', 'ann'],
          ['k', 'bob'],
        ]),
      },
      {
        id: 'c',
        inc: inc(
          [['k', 'ann']],
          [
            ['s', 'ann', 'b1'],
            ['s', '', 'total'],
          ],
        ),
      },
    ]);
    expect(ledger.laterIds).toEqual(['a', 'b', 'c']);
    expect(ledger.laterCount('k', 'ann')).toBe(3);

    ledger.advance('a');
    expect(ledger.laterIds).toEqual(['b', 'c']);
    expect(ledger.laterCount('k', 'ann')).toBe(2);
    expect(ledger.laterCount('k', 'bob')).toBe(1);
    expect(ledger.laterSelection('s', 'ann', 'b1')).toBe(1);
    expect(ledger.laterSelection('s', '', 'total')).toBe(1);

    ledger.advance('b');
    expect(ledger.laterCount('k', 'bob')).toBe(0);
    ledger.advance('c');
    expect(ledger.laterIds).toEqual([]);
    expect(ledger.laterCount('k', 'ann')).toBe(0);
    expect(ledger.laterSelection('s', 'ann', 'b1')).toBe(0);
    expect(ledger.laterCount('nothing', 'here')).toBe(0);
  });

  it('refuses to advance out of order', () => {
    const ledger = new BatchLedger([
      { id: 'a', inc: inc([]) },
      { id: 'b', inc: inc([]) },
    ]);
    expect(() => ledger.advance('b')).toThrow(/out of order at b/);
    expect(() => BatchLedger.none.advance('x')).toThrow(/out of order/);
  });
});
