/**
 * datanommer grep filters: building a HistoryFilter from a rule's (formatted) filter,
 * matching a history row against it, and the stable key of counter-eligible filters.
 */
import { categoryOf } from './messages';
import type { HistoryFilter } from './ports';
import { compile } from './python';

/** datanommer grep arguments → HistoryFilter keys. */
export const FILTER_KEYS: Record<string, keyof HistoryFilter> = {
  topics: 'topics',
  not_topics: 'notTopics',
  categories: 'categories',
  not_categories: 'notCategories',
  users: 'users',
  not_users: 'notUsers',
  packages: 'packages',
  not_packages: 'notPackages',
  contains: 'contains',
  start: 'start',
  end: 'end',
  rows_per_page: 'rowsPerPage',
  page: 'page',
  order: 'order',
};

/** grep arguments datanommer has but our history does not answer. */
export const UNSUPPORTED_FILTER_KEYS = new Set(['agents', 'not_agents', 'msg_id']);

type ListKey =
  | 'topics'
  | 'notTopics'
  | 'categories'
  | 'notCategories'
  | 'users'
  | 'notUsers'
  | 'packages'
  | 'notPackages'
  | 'contains';

const LIST_KEYS: readonly ListKey[] = [
  'topics',
  'notTopics',
  'categories',
  'notCategories',
  'users',
  'notUsers',
  'packages',
  'notPackages',
  'contains',
];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A filter value that cannot be used (a dict where a name is expected...). */
export class FilterValueError extends Error {
  constructor(key: string, value: unknown) {
    super(`filter '${key}' cannot use ${JSON.stringify(value) ?? String(value)}`);
    this.name = 'FilterValueError';
  }
}

function listItems(grepKey: string, value: unknown): string[] {
  if (value === null || value === undefined) return [];
  let items: unknown[] = Array.isArray(value) ? value : [value];
  if (grepKey === 'users') {
    // fedbadges: a list inside the list (a placeholder that gave a list) replaces it, and
    // pagure's list of {name: ...} authors gives the names.
    for (const item of items) if (Array.isArray(item)) items = item;
    items = items.map((item) =>
      isRecord(item) && typeof item.name === 'string' ? item.name : item,
    );
  }
  return items.map((item) => {
    if (typeof item === 'string') return grepKey.endsWith('users') ? item.toLowerCase() : item;
    if (typeof item === 'number' || typeof item === 'boolean') return String(item);
    throw new FilterValueError(grepKey, item);
  });
}

function dateValue(grepKey: string, value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value * 1000);
  if (typeof value === 'string') {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new FilterValueError(grepKey, value);
}

/**
 * Turns formatted grep arguments (`{topics: [...], users: [...], rows_per_page: 10}`) into
 * a HistoryFilter. Empty lists and None do not constrain (datanommer tests `if users:`).
 * @throws FilterValueError
 */
export function toHistoryFilter(args: Record<string, unknown>): HistoryFilter {
  const filter: HistoryFilter = {};
  for (const [grepKey, value] of Object.entries(args)) {
    const key = FILTER_KEYS[grepKey];
    if (!key) throw new FilterValueError(grepKey, value);
    if (value === null || value === undefined) continue;
    if ((LIST_KEYS as readonly string[]).includes(key)) {
      const items = [...new Set(listItems(grepKey, value))];
      if (items.length > 0) filter[key as ListKey] = items;
    } else if (key === 'start' || key === 'end') {
      filter[key] = dateValue(grepKey, value);
    } else if (key === 'rowsPerPage' || key === 'page') {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
        throw new FilterValueError(grepKey, value);
      }
      filter[key] = value;
    } else if (key === 'order') {
      if (value !== 'asc' && value !== 'desc') throw new FilterValueError(grepKey, value);
      filter.order = value;
    }
  }
  return filter;
}

// datanommer stores the body as JSON written by Python's json.dumps (", " and ": "
// separators, ASCII escapes): `contains` matches substrings of that text.
const pythonDumps = compile('json.dumps(body)', ['body']);
const dumpsCache = new WeakMap<object, string>();

/** The body as datanommer's JSON text (what `contains` searches). */
export function bodyText(body: unknown): string {
  if (typeof body === 'object' && body !== null) {
    const cached = dumpsCache.get(body);
    if (cached !== undefined) return cached;
    const text = String(pythonDumps.evaluate({ body }, { stepLimit: 10_000_000 }));
    dumpsCache.set(body, text);
    return text;
  }
  return String(pythonDumps.evaluate({ body }));
}

function anyIn(wanted: readonly string[] | undefined, have: readonly string[]): boolean {
  return wanted!.some((w) => have.includes(w));
}

/**
 * Does a history row match the filter? OR within a list, AND between keys; `users` and
 * `packages` match rows concerning any of them; `start` and `end` bound `sentAt`
 * inclusively (datanommer's `>=` and `<=`). Paging and order do not restrict matching.
 */
export function matchesFilter(
  filter: HistoryFilter,
  row: { topic: string; users: string[]; packages: string[]; body: unknown; sentAt: Date },
): boolean {
  // An empty list constrains nothing, as datanommer's grep tested its arguments (`if users:`)
  // and as filterSql writes them.
  const given = (values: readonly string[] | undefined): values is readonly string[] =>
    !!values && values.length > 0;
  if (given(filter.topics) && !filter.topics.includes(row.topic)) return false;
  if (given(filter.notTopics) && filter.notTopics.includes(row.topic)) return false;
  if (given(filter.categories) || given(filter.notCategories)) {
    const category = categoryOf(row.topic);
    if (given(filter.categories) && (category === null || !filter.categories.includes(category))) {
      return false;
    }
    if (
      given(filter.notCategories) &&
      category !== null &&
      filter.notCategories.includes(category)
    ) {
      return false;
    }
  }
  if (given(filter.users) && !anyIn(filter.users, row.users)) return false;
  if (given(filter.notUsers) && anyIn(filter.notUsers, row.users)) return false;
  if (given(filter.packages) && !anyIn(filter.packages, row.packages)) return false;
  if (given(filter.notPackages) && anyIn(filter.notPackages, row.packages)) return false;
  if (filter.start && row.sentAt.getTime() < filter.start.getTime()) return false;
  if (filter.end && row.sentAt.getTime() > filter.end.getTime()) return false;
  if (given(filter.contains)) {
    const text = bodyText(row.body);
    if (!filter.contains.some((c) => text.includes(c))) return false;
  }
  return true;
}

/**
 * The stable key of a filter without its `users`, for counters kept per (key, user): null
 * when the filter is not counter-eligible (no `users` or more than one, or `start`, `end`,
 * `page`, `rowsPerPage`). Lists are sorted and deduplicated; `order` does not matter.
 */
export function counterKeyOf(filter: HistoryFilter): string | null {
  if (!filter.users || filter.users.length !== 1) return null;
  if (filter.start || filter.end || filter.page !== undefined) return null;
  if (filter.rowsPerPage !== undefined) return null;
  const parts: [string, string[]][] = [];
  for (const key of LIST_KEYS) {
    if (key === 'users') continue;
    const values = filter[key];
    if (values && values.length > 0) parts.push([key, [...new Set(values)].sort()]);
  }
  return JSON.stringify(parts);
}

/** Where a selection counter is kept: per user of the filter, or over the whole filter. */
export type SelectionScope = 'user' | 'all';

/**
 * The key of the counter that can answer a selection over this filter, or null when none
 * can: the filter names more than one user, or has time bounds or a page past the first.
 * `rowsPerPage` is allowed: the runtime checks at read time that the filter's rows fit in
 * the one page `query.all()` returns. Lists are sorted and deduplicated.
 */
export function selectionKeyOf(
  filter: HistoryFilter,
  selectionKey: string,
): { key: string; scope: SelectionScope } | null {
  if (filter.users && filter.users.length > 1) return null;
  if (filter.start || filter.end) return null;
  if (filter.page !== undefined && filter.page !== 1) return null;
  const scope: SelectionScope = filter.users?.length === 1 ? 'user' : 'all';
  const parts: [string, string[]][] = [];
  for (const key of LIST_KEYS) {
    if (key === 'users') continue;
    const values = filter[key];
    if (values && values.length > 0) parts.push([key, [...new Set(values)].sort()]);
  }
  return { key: JSON.stringify({ filter: parts, selection: selectionKey, scope }), scope };
}

/**
 * The exact topics a filter is restricted to (null: any topic), so a runtime can index its
 * counter filters by topic and run `matchesFilter` only on those a message can match.
 */
export function filterTopics(filter: HistoryFilter): string[] | null {
  return filter.topics && filter.topics.length > 0 ? [...filter.topics] : null;
}
