import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import {
  ALL_ROWS_BUCKET,
  bucketKey,
  type HistoryFilter,
  type HistoryRow,
  matchesFilter,
  type Selection,
  type SelectionScope,
} from '../engine';
import { type MessageRow, toHistoryRow } from './history-rows';
import { filterSql, needsBodyCheck } from './history-sql';

/**
 * A whole-filter selection counts every stored row of its filter in one of these shards
 * (by message id), so concurrent messages do not all wait for the lock of one row; the
 * total is their sum. A per-user one keeps its total in one row per user.
 */
const ALL_ROWS_SHARDS = 16;

/** The buckets that hold the filter's row total (read when the filter is paged). */
export function allRowsBuckets(scope: SelectionScope): string[] {
  if (scope === 'user') return [ALL_ROWS_BUCKET];
  return Array.from({ length: ALL_ROWS_SHARDS }, (_, i) => JSON.stringify(['all', i]));
}

function allRowsBucket(scope: SelectionScope, messageId: string): string {
  if (scope === 'user') return ALL_ROWS_BUCKET;
  const shard = createHash('sha1').update(messageId).digest().readUInt16BE(0) % ALL_ROWS_SHARDS;
  return JSON.stringify(['all', shard]);
}

/** One stored row's increments: (user, bucket) pairs ('' is the whole filter's user). */
export function selectionIncrements(
  selection: Selection,
  scope: SelectionScope,
  row: HistoryRow,
): [string, string][] {
  const users = scope === 'user' ? [...new Set(row.users)] : [''];
  if (!users.length) return [];
  const bucket = selection.bucketOfRow(row);
  const buckets = [allRowsBucket(scope, row.id), ...(bucket ? [bucketKey(bucket)] : [])];
  return users.flatMap((u) => buckets.map((b): [string, string] => [u, b]));
}

const PAGE = 5_000;

/**
 * Counts the stored rows of a filter into a selection's buckets (a new counter, or a
 * rebuild), reading the history a page at a time. Paging does not apply here (the reader
 * checks that the rows fit in the page `query.all()` returns).
 */
export async function fillSelectionCounts(
  tx: EntityManager,
  key: string,
  filter: HistoryFilter,
  selection: Selection,
  scope: SelectionScope,
): Promise<void> {
  await tx.query(`DELETE FROM rule_selection_counts WHERE filter_key = $1`, [key]);
  const { where, params } = filterSql(filter);
  const bodyCheck = needsBodyCheck(filter);
  const counts = new Map<string, number>();
  // By id, not by time: every row once, whatever the precision of the times.
  let after = '';
  for (;;) {
    const raw = (await tx.query(
      `SELECT id, topic, body, headers, sent_at, users, packages FROM messages
        WHERE ${where} AND id > $${params.length + 1} ORDER BY id LIMIT ${PAGE}`,
      [...params, after],
    )) as MessageRow[];
    for (const row of raw.map(toHistoryRow)) {
      if (bodyCheck && !matchesFilter(filter, { ...row, body: row.msg, sentAt: row.timestamp }))
        continue;
      for (const [u, b] of selectionIncrements(selection, scope, row)) {
        const k = `${u}\u0000${b}`;
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
    }
    if (raw.length < PAGE) break;
    after = raw[raw.length - 1].id;
  }
  const users: string[] = [];
  const buckets: string[] = [];
  for (const k of counts.keys()) {
    const [u, b] = k.split('\u0000');
    users.push(u);
    buckets.push(b);
  }
  await tx.query(
    `INSERT INTO rule_selection_counts (filter_key, username, bucket, count)
     SELECT $1, u, b, n FROM unnest($2::text[], $3::text[], $4::bigint[]) AS t(u, b, n)`,
    [key, users, buckets, [...counts.values()]],
  );
}

/** Adds increments (filter key, user, bucket) in one statement, rows locked in key order. */
export async function addSelectionCounts(
  m: EntityManager,
  keys: string[],
  users: string[],
  buckets: string[],
): Promise<void> {
  if (!keys.length) return;
  await m.query(
    `INSERT INTO rule_selection_counts AS c (filter_key, username, bucket, count)
     SELECT k, u, b, count(*) FROM unnest($1::text[], $2::text[], $3::text[]) AS t(k, u, b)
      GROUP BY k, u, b ORDER BY k, u, b
     ON CONFLICT (filter_key, username, bucket) DO UPDATE SET count = c.count + excluded.count`,
    [keys, users, buckets],
  );
}
