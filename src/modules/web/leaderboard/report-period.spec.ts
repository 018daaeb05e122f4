import { DomainError } from '../../../common/errors/domain-error';
import { neighbourPeriods, periodLabel, reportPath, reportPeriod } from './report-period';

describe('report periods (Tahrir /report URLs)', () => {
  it.each([
    [{ year: '2026' }, 'year', '2026-01-01', '2027-01-01'],
    [{ year: '2026', month: '2' }, 'month', '2026-02-01', '2026-03-01'],
    [{ year: '2024', month: '02', day: '29' }, 'day', '2024-02-29', '2024-03-01'],
    [{ year: '2026', week: '1' }, 'week', '2025-12-29', '2026-01-05'],
    [{ year: '2026', week: '48' }, 'week', '2026-11-23', '2026-11-30'],
    [{ year: '2020', week: '53' }, 'week', '2020-12-28', '2021-01-04'],
  ])('%p is the %s from %s to %s', (parts, period, start, end) => {
    expect(reportPeriod(parts)).toEqual({ period, start, end });
  });

  it.each([
    [{ year: 'abc' }],
    [{ year: '2026', month: '13' }],
    [{ year: '2026', month: '0' }],
    [{ year: '2023', month: '2', day: '29' }],
    [{ year: '2026', month: '4', day: '31' }],
    [{ year: '2025', week: '53' }], // 2025 has 52 ISO weeks (2026 has 53)
    [{ year: '2026', week: '0' }],
  ])('%p is not found', (parts) => {
    expect(() => reportPeriod(parts)).toThrow(DomainError);
  });

  it('writes the URL of a period back, weeks in their ISO year', () => {
    expect(reportPath({ period: 'week', start: '2025-12-29' })).toBe('/report/2026/week/1');
    expect(reportPath({ period: 'week', start: '2026-11-23' })).toBe('/report/2026/week/48');
    expect(reportPath({ period: 'day', start: '2026-03-07' })).toBe('/report/2026/3/7');
    expect(reportPath({ period: 'month', start: '2026-03-01' })).toBe('/report/2026/3');
    expect(reportPath({ period: 'year', start: '2026-01-01' })).toBe('/report/2026');
  });

  it('finds the periods before and after', () => {
    const { prev, next } = neighbourPeriods(reportPeriod({ year: '2026', month: '1' }));
    expect(prev).toEqual({ period: 'month', start: '2025-12-01', end: '2026-01-01' });
    expect(next).toEqual({ period: 'month', start: '2026-02-01', end: '2026-03-01' });
  });

  it('labels periods for people', () => {
    expect(periodLabel({ period: 'month', start: '2026-11-01' })).toBe('November 2026');
    expect(periodLabel({ period: 'day', start: '2026-11-25' })).toBe('25 November 2026');
    expect(periodLabel({ period: 'week', start: '2026-11-23' })).toBe(
      'week 48 of 2026 (from 23 November)',
    );
  });
});
