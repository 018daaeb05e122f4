import type { Page } from '../pagination';

/** The JSON envelope of a paginated list. */
export function presentPage<T, R>(page: Page<T>, present: (item: T) => R) {
  return {
    items: page.items.map(present),
    total: page.total,
    page: page.page,
    per_page: page.perPage,
    pages: Math.max(1, Math.ceil(page.total / page.perPage)),
  };
}

/** ISO 8601 with time zone, or null. */
export const iso = (d: Date | string | null | undefined): string | null =>
  d ? new Date(d).toISOString() : null;
