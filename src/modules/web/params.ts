/** A page number from a query string: a positive integer, anything else is page 1. */
export function pageParam(raw: unknown): number {
  const n = typeof raw === 'string' && /^\d{1,6}$/.test(raw) ? Number(raw) : 1;
  return Math.max(1, n);
}

/** A single query value as a trimmed string (repeated parameters keep the first). */
export function textParam(raw: unknown, max = 200): string {
  const v = Array.isArray(raw) ? raw[0] : raw;
  return typeof v === 'string' ? v.trim().slice(0, max) : '';
}
