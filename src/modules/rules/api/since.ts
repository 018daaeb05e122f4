/** `30d`, `12h`, `2w`, `90m`: a duration back from now. */
const DURATION = /^(\d{1,6})([mhdw])$/;
/** A date (`2024-01-31`) or a date and time with zone (`2024-01-31T12:00:00Z`). */
const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/** What `since` accepts, in words (validation messages, documentation). */
export const SINCE_FORMAT =
  'a duration back from now (90m, 12h, 30d, 2w) or a date (2024-01-31, 2024-01-31T08:30:00Z)';

const MINUTES = { m: 1, h: 60, d: 24 * 60, w: 7 * 24 * 60 } as const;

/**
 * The start of a dry run's history: a duration before `now`, or a date (a date alone is
 * midnight UTC). Null when the text is neither.
 */
export function sinceDate(text: string, now: Date): Date | null {
  const d = DURATION.exec(text);
  if (d) {
    const unit = d[2] as keyof typeof MINUTES;
    return new Date(now.getTime() - Number(d[1]) * MINUTES[unit] * 60_000);
  }
  if (!DATE.test(text)) return null;
  const date = new Date(text.length === 10 ? `${text}T00:00:00Z` : text);
  return Number.isNaN(date.getTime()) ? null : date;
}
