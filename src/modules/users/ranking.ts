/** The periods of the leaderboards: all time, and calendar periods in UTC. */
export const PERIODS = ['all', 'year', 'month', 'week', 'day'] as const;
export type Period = (typeof PERIODS)[number];

/**
 * The one-letter key of a calendar period in award_tallies. A day holds few enough awards
 * to be counted from the assertions directly.
 */
export const PERIOD_KEY: Record<Exclude<Period, 'all' | 'day'>, string> = {
  year: 'y',
  month: 'm',
  week: 'w',
};

/**
 * The first day (UTC, yyyy-mm-dd) of the calendar period that contains `at`; weeks start on
 * Monday (ISO 8601), as PostgreSQL's date_trunc('week') does.
 */
export function periodStart(period: Exclude<Period, 'all'>, at: Date): string {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  const d = at.getUTCDate();
  let start: Date;
  switch (period) {
    case 'year':
      start = new Date(Date.UTC(y, 0, 1));
      break;
    case 'month':
      start = new Date(Date.UTC(y, m, 1));
      break;
    case 'week': {
      const dow = (at.getUTCDay() + 6) % 7; // Monday = 0
      start = new Date(Date.UTC(y, m, d - dow));
      break;
    }
    case 'day':
      start = new Date(Date.UTC(y, m, d));
      break;
  }
  return start.toISOString().slice(0, 10);
}

/** The first day after the period that starts on `start`. */
export function periodEnd(period: Exclude<Period, 'all'>, start: string): string {
  const s = new Date(`${start}T00:00:00Z`);
  const y = s.getUTCFullYear();
  const m = s.getUTCMonth();
  const d = s.getUTCDate();
  const end =
    period === 'year'
      ? new Date(Date.UTC(y + 1, 0, 1))
      : period === 'month'
        ? new Date(Date.UTC(y, m + 1, 1))
        : new Date(Date.UTC(y, m, d + (period === 'week' ? 7 : 1)));
  return end.toISOString().slice(0, 10);
}

/** "Top 3.2 %": the share of ranked persons at or above this rank. */
export function percentile(rank: number, ranked: number): number {
  if (ranked <= 0) return 100;
  return Math.round((rank / ranked) * 1000) / 10;
}
