import { comparableXmin } from './xid-changes';

describe('comparableXmin', () => {
  const now = { system: '7000/16384', xmin: 5_000n, xmax: 5_010n };

  it('gives the last xmin of the same server and database', () => {
    expect(comparableXmin({ sourceSystem: '7000/16384', sourceXmin: '4200' }, now)).toBe(4200n);
  });

  it('refuses another server or database, an unknown one, or no recorded run', () => {
    expect(comparableXmin({ sourceSystem: '7001/16384', sourceXmin: '4200' }, now)).toBeNull();
    expect(comparableXmin({ sourceSystem: '7000/1', sourceXmin: '4200' }, now)).toBeNull();
    expect(
      comparableXmin({ sourceSystem: '7000/16384', sourceXmin: '4200' }, { ...now, system: null }),
    ).toBeNull();
    expect(comparableXmin({ sourceSystem: null, sourceXmin: null }, now)).toBeNull();
    expect(comparableXmin({ sourceSystem: '7000/16384', sourceXmin: null }, now)).toBeNull();
  });

  it('refuses transaction ids from the future (a server restored from an older copy) or too far back', () => {
    expect(comparableXmin({ sourceSystem: '7000/16384', sourceXmin: '6000' }, now)).toBeNull();
    const far = { ...now, xmax: 2n ** 30n + 100n };
    expect(comparableXmin({ sourceSystem: '7000/16384', sourceXmin: '99' }, far)).toBeNull();
    expect(comparableXmin({ sourceSystem: '7000/16384', sourceXmin: '101' }, far)).toBe(101n);
  });
});
