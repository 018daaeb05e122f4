export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  perPage: number;
}

export interface PageRequest {
  page?: number;
  perPage?: number;
}

export const MAX_PER_PAGE = 200;

/** Normalized page number (from 1), size and SQL offset. */
export function pageWindow(
  r: PageRequest,
  defaultPerPage = 50,
): { page: number; perPage: number; offset: number } {
  const page = Math.max(1, Math.floor(r.page ?? 1));
  const perPage = Math.min(MAX_PER_PAGE, Math.max(1, Math.floor(r.perPage ?? defaultPerPage)));
  return { page, perPage, offset: (page - 1) * perPage };
}
