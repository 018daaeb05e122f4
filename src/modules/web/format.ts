/** Text formatting shared by pages and feeds (pure, UTC, English). */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const NUMBER = new Intl.NumberFormat('en-US');

/** "25 Nov 2026" (UTC); empty for no date. */
export function formatDate(d: Date | string | null | undefined): string {
  if (!d) return '';
  const t = new Date(d);
  return `${t.getUTCDate()} ${MONTHS[t.getUTCMonth()]} ${t.getUTCFullYear()}`;
}

/** ISO 8601 for `<time datetime>`. */
export function isoDate(d: Date | string | null | undefined): string {
  return d ? new Date(d).toISOString() : '';
}

/** 50,000 */
export function formatNumber(n: number | null | undefined): string {
  return typeof n === 'number' && Number.isFinite(n) ? NUMBER.format(n) : '';
}

/** "1 badge", "3 badges" */
export function plural(n: number, one: string, many: string): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

/** A share in percent for people: one decimal below 10, none above; "< 0.1" for crumbs. */
export function formatPercent(p: number | null | undefined): string {
  if (typeof p !== 'number' || !Number.isFinite(p)) return '';
  if (p > 0 && p < 0.1) return '< 0.1';
  return p < 10 ? (Math.round(p * 10) / 10).toString() : Math.round(p).toString();
}

/** Only http(s) links become hrefs: anything else (javascript:, data:) is dropped. */
export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null;
  } catch {
    return null;
  }
}
