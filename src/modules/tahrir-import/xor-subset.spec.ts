import { type Candidate, xorSubset } from './xor-subset';

/** A deterministic spread of signed 32-bit hashes, as hashtext() gives. */
function candidates(m: number, seed = 7): Candidate[] {
  let x = seed;
  return Array.from({ length: m }, (_, i) => {
    x = (Math.imul(x, 1_103_515_245) + 12_345) | 0;
    return { key: `award-${i}`, hash: x };
  });
}
const xorOf = (cs: Candidate[]) => cs.reduce((a, c) => a ^ c.hash!, 0);

describe('xorSubset', () => {
  const cell = candidates(240);

  it('names one, two or three deleted keys among a cell of candidates', () => {
    for (const picked of [[cell[17]], [cell[3], cell[200]], [cell[0], cell[120], cell[239]]]) {
      expect(xorSubset(cell, picked.length, xorOf(picked))).toEqual(picked);
    }
  });

  it('finds nothing when no subset of that size fits', () => {
    expect(xorSubset(cell, 2, xorOf([cell[1], cell[2], cell[3]]))).toBeNull();
    expect(xorSubset(cell, 1, 12_345)).toBeNull();
  });

  it('refuses to choose between several subsets that fit', () => {
    const same = [
      { key: 'a', hash: 5 },
      { key: 'b', hash: 5 },
      { key: 'c', hash: 9 },
    ];
    expect(xorSubset(same, 1, 5)).toBeNull();
    expect(xorSubset(same, 2, 5 ^ 9)).toBeNull();
    expect(xorSubset(same, 2, 0)).toEqual([same[0], same[1]]);
  });

  it('gives up past three deletions, with an unknown hash, or more deletions than keys', () => {
    const four = [cell[1], cell[2], cell[3], cell[4]];
    expect(xorSubset(cell, 4, xorOf(four))).toBeNull();
    const unknown = [...cell.slice(0, 10), { key: 'old', hash: null }];
    expect(xorSubset(unknown, 1, cell[2].hash!)).toBeNull();
    expect(xorSubset(cell.slice(0, 2), 3, 0)).toBeNull();
    expect(xorSubset(cell, 0, 0)).toBeNull();
  });
});
