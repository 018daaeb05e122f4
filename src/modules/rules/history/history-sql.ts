import type { HistoryFilter } from '../engine';

/** A WHERE clause over `messages` and its parameters ($n numbered from `firstParam`). */
export interface FilterSql {
  where: string;
  params: unknown[];
}

/**
 * Translates a datanommer grep filter to SQL over the `messages` table, with the same
 * meaning as the engine's `matchesFilter` (the integration tests check that they agree on a
 * table of filters and messages): OR within a list, AND between keys, `not_*` lists exclude
 * any message that has one of their values, `start` and `end` inclusive on the sent time.
 * Everything except `contains`, which callers check on the rows with `matchesFilter`.
 * Each condition is written so that an index can serve it: `= ANY` on topic and category
 * (b-tree), `&&` on users and packages (GIN).
 *
 * An empty list constrains nothing (an absent key), as in matchesFilter.
 */
export function filterSql(filter: HistoryFilter, firstParam = 1): FilterSql {
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${firstParam + params.length - 1}`;
  };
  const conds: string[] = [];
  const list = (values: readonly string[] | undefined) => (values?.length ? [...values] : null);

  const topics = list(filter.topics);
  if (topics) conds.push(`topic = ANY(${p(topics)}::text[])`);
  const notTopics = list(filter.notTopics);
  if (notTopics) conds.push(`NOT (topic = ANY(${p(notTopics)}::text[]))`);
  const categories = list(filter.categories);
  if (categories) conds.push(`category = ANY(${p(categories)}::text[])`);
  const notCategories = list(filter.notCategories);
  // A topic without a 4th part has no category: no category is excluded by not_categories.
  if (notCategories)
    conds.push(`(category IS NULL OR NOT (category = ANY(${p(notCategories)}::text[])))`);
  const users = list(filter.users);
  if (users) conds.push(`users && ${p(users)}::text[]`);
  const notUsers = list(filter.notUsers);
  if (notUsers) conds.push(`NOT (users && ${p(notUsers)}::text[])`);
  const packages = list(filter.packages);
  if (packages) conds.push(`packages && ${p(packages)}::text[]`);
  const notPackages = list(filter.notPackages);
  if (notPackages) conds.push(`NOT (packages && ${p(notPackages)}::text[])`);
  // `contains` is left to the caller (see needsBodyCheck): datanommer searched the body as
  // Python's json.dumps wrote it, which jsonb's text form is not (key order, escapes).
  if (filter.start) conds.push(`sent_at >= ${p(filter.start)}`);
  if (filter.end) conds.push(`sent_at <= ${p(filter.end)}`);
  return { where: conds.length ? conds.join(' AND ') : 'true', params };
}

/**
 * ORDER BY / LIMIT / OFFSET of datanommer's paging: by sent time (`order`, ascending by
 * default; the id breaks ties so pages are stable), `rows_per_page` rows from `page` (1-based).
 * Without `rows_per_page`, every matching row.
 */
export function pagingSql(filter: HistoryFilter): string {
  const dir = filter.order === 'desc' ? 'DESC' : 'ASC';
  let sql = ` ORDER BY sent_at ${dir}, id ${dir}`;
  if (filter.rowsPerPage !== undefined && filter.rowsPerPage !== null) {
    const per = Math.max(0, Math.floor(filter.rowsPerPage));
    const page = Math.max(1, Math.floor(filter.page ?? 1));
    sql += ` LIMIT ${per} OFFSET ${per * (page - 1)}`;
  }
  return sql;
}

/**
 * Whether rows selected by filterSql must still be checked with matchesFilter: `contains`
 * searches the body as Python's json.dumps writes it, which only the engine reproduces.
 * No sample rule uses it; such filters cost a scan of the rows matching the rest.
 */
export function needsBodyCheck(filter: HistoryFilter): boolean {
  return !!filter.contains?.length;
}
