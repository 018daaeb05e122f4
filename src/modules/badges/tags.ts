/**
 * Normalized tags: trimmed, lower-cased, unique, in first-seen order. Accepts a list or
 * Tahrir's comma-separated string (which had a trailing comma).
 */
export function normalizeTags(input: string[] | string | null | undefined): string[] {
  const raw = typeof input === 'string' ? input.split(',') : (input ?? []);
  const seen = new Set<string>();
  for (const t of raw) {
    const tag = t.trim().toLowerCase();
    if (tag) seen.add(tag);
  }
  return [...seen];
}
