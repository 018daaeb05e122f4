import { notFound } from '../../../common/errors/domain-error';
import { type Period, periodEnd, periodStart } from '../../users/ranking';

export type CalendarPeriod = Exclude<Period, 'all'>;

export interface ReportPeriod {
  period: CalendarPeriod;
  /** First day, yyyy-mm-dd (UTC). */
  start: string;
  /** First day after, yyyy-mm-dd. */
  end: string;
}

const reportNotFound = (path: string) =>
  notFound('REPORT.NOT_FOUND', `There is no report for ${path}.`);

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function int(raw: string, min: number, max: number): number | null {
  if (!/^\d{1,4}$/.test(raw)) return null;
  const n = Number(raw);
  return n >= min && n <= max ? n : null;
}

/** Monday of ISO week 1: the week holding January 4th. */
function isoWeekOne(year: number): Date {
  const jan4 = new Date(Date.UTC(year, 0, 4));
  return new Date(Date.UTC(year, 0, 4 - ((jan4.getUTCDay() + 6) % 7)));
}

/**
 * The calendar period a Tahrir report URL names: /report/<year>, /report/<y>/<month>,
 * /report/<y>/<m>/<day>, /report/<y>/week/<n> (ISO 8601 weeks, as the leaderboards count
 * them). Anything that is not a real date is "not found" (Tahrir answered 500).
 */
export function reportPeriod(parts: {
  year: string;
  month?: string;
  day?: string;
  week?: string;
}): ReportPeriod {
  const path = [parts.year, parts.week ? `week/${parts.week}` : parts.month, parts.day]
    .filter(Boolean)
    .join('/');
  const year = int(parts.year, 1970, 9999);
  if (year === null) throw reportNotFound(path);
  let period: CalendarPeriod;
  let at: Date;
  if (parts.week !== undefined) {
    const week = int(parts.week, 1, 53);
    if (week === null) throw reportNotFound(path);
    at = new Date(isoWeekOne(year).getTime() + (week - 1) * 7 * 86_400_000);
    if (at >= isoWeekOne(year + 1)) throw reportNotFound(path);
    period = 'week';
  } else if (parts.month !== undefined) {
    const month = int(parts.month, 1, 12);
    if (month === null) throw reportNotFound(path);
    if (parts.day !== undefined) {
      const day = int(parts.day, 1, 31);
      at = new Date(Date.UTC(year, month - 1, day ?? 1));
      if (day === null || at.getUTCMonth() !== month - 1) throw reportNotFound(path);
      period = 'day';
    } else {
      at = new Date(Date.UTC(year, month - 1, 1));
      period = 'month';
    }
  } else {
    at = new Date(Date.UTC(year, 0, 1));
    period = 'year';
  }
  const start = periodStart(period, at);
  return { period, start, end: periodEnd(period, start) };
}

/** The report URL of a period. */
export function reportPath(p: { period: CalendarPeriod; start: string }): string {
  const [y, m, d] = p.start.split('-').map(Number);
  switch (p.period) {
    case 'year':
      return `/report/${y}`;
    case 'month':
      return `/report/${y}/${m}`;
    case 'day':
      return `/report/${y}/${m}/${d}`;
    case 'week': {
      const s = new Date(`${p.start}T00:00:00Z`);
      // The ISO year of a week is the year of its Thursday.
      const thursday = new Date(s.getTime() + 3 * 86_400_000);
      const isoYear = thursday.getUTCFullYear();
      const week = Math.round((s.getTime() - isoWeekOne(isoYear).getTime()) / (7 * 86_400_000)) + 1;
      return `/report/${isoYear}/week/${week}`;
    }
  }
}

/** The periods before and after. */
export function neighbourPeriods(p: ReportPeriod): { prev: ReportPeriod; next: ReportPeriod } {
  const dayBefore = new Date(new Date(`${p.start}T00:00:00Z`).getTime() - 86_400_000);
  const prevStart = periodStart(p.period, dayBefore);
  return {
    prev: { period: p.period, start: prevStart, end: p.start },
    next: { period: p.period, start: p.end, end: periodEnd(p.period, p.end) },
  };
}

/** "2026", "November 2026", "week 48 of 2026", "25 November 2026". */
export function periodLabel(p: { period: CalendarPeriod; start: string }): string {
  const [y, m, d] = p.start.split('-').map(Number);
  switch (p.period) {
    case 'year':
      return String(y);
    case 'month':
      return `${MONTHS[m - 1]} ${y}`;
    case 'day':
      return `${d} ${MONTHS[m - 1]} ${y}`;
    case 'week': {
      const [, isoYear, , week] = reportPath(p).split('/').slice(1);
      return `week ${week} of ${isoYear} (from ${d} ${MONTHS[m - 1]})`;
    }
  }
}
