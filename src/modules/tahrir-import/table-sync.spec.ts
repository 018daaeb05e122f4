import { batchRanges, chooseBuckets } from './table-sync';

describe('chooseBuckets', () => {
  it.each([
    [0, 16],
    [100, 16],
    [257, 32],
    [100_000, 8_192],
    [1_000_000, 65_536],
    [1e9, 1 << 20],
  ])('%d rows -> %d buckets (a power of two, about 16 rows each, capped)', (rows, buckets) => {
    expect(chooseBuckets(rows)).toBe(buckets);
  });
});

describe('batchRanges', () => {
  it('cuts whole buckets into ranges of about the batch size that cover every bucket', () => {
    const weights = [
      { bucket: 0, n: 40 },
      { bucket: 3, n: 70 },
      { bucket: 4, n: 10 },
      { bucket: 9, n: 200 },
      { bucket: 12, n: 5 },
    ];
    expect(batchRanges(weights, 100, 16)).toEqual([
      [0, 4],
      [4, 10],
      [10, 16],
    ]);
  });

  it('gives one range when nothing is to be written, and ends at the last bucket', () => {
    expect(batchRanges([], 100, 64)).toEqual([[0, 64]]);
    expect(batchRanges([{ bucket: 63, n: 500 }], 100, 64)).toEqual([[0, 64]]);
  });
});
