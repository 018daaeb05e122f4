import { percentile, periodEnd, periodStart } from './ranking';

describe('periodStart', () => {
  const at = new Date('2026-11-25T23:30:00Z'); // a Wednesday
  it.each([
    ['year', '2026-01-01'],
    ['month', '2026-11-01'],
    ['week', '2026-11-23'],
    ['day', '2026-11-25'],
  ] as const)('%s starts on %s', (period, start) => {
    expect(periodStart(period, at)).toBe(start);
  });

  it('puts a Sunday in the week that began the Monday before', () => {
    expect(periodStart('week', new Date('2026-11-29T12:00:00Z'))).toBe('2026-11-23');
  });

  it('puts a Monday at midnight UTC in its own week', () => {
    expect(periodStart('week', new Date('2026-11-30T00:00:00Z'))).toBe('2026-11-30');
  });
});

describe('periodEnd', () => {
  it.each([
    ['year', '2026-01-01', '2027-01-01'],
    ['month', '2026-12-01', '2027-01-01'],
    ['week', '2026-12-28', '2027-01-04'],
    ['day', '2028-02-28', '2028-02-29'],
  ] as const)('%s from %s ends before %s', (period, start, end) => {
    expect(periodEnd(period, start)).toBe(end);
  });
});

describe('percentile', () => {
  it('is the share of ranked persons at or above the rank', () => {
    expect(percentile(1, 1000)).toBe(0.1);
    expect(percentile(32, 1000)).toBe(3.2);
    expect(percentile(1000, 1000)).toBe(100);
  });
  it('is 100 when nobody is ranked', () => {
    expect(percentile(1, 0)).toBe(100);
  });
});
