import type { EntityManager } from 'typeorm';
import { type HistoryFilter, type HistoryRow, matchesFilter } from '../engine';
import { filterSql, needsBodyCheck, pagingSql } from './history-sql';

export interface MessageRow {
  id: string;
  topic: string;
  body: unknown;
  headers: Record<string, unknown>;
  sent_at: Date;
  users: string[];
  packages: string[];
}

/**
 * Rows matching a filter, paged. With `contains`, the rows matching the rest are checked
 * by the engine's matchesFilter and paged here.
 */
export async function selectRows(
  m: EntityManager,
  filter: HistoryFilter,
  extra?: { where: string; params: unknown[] },
): Promise<HistoryRow[]> {
  const { where, params } = filterSql(filter);
  const bodyCheck = needsBodyCheck(filter);
  let sql = `SELECT id, topic, body, headers, sent_at, users, packages FROM messages WHERE ${where}`;
  if (extra)
    sql += ` AND ${extra.where.replace(/\$(\d+)/g, (_, n) => `$${Number(n) + params.length}`)}`;
  sql += pagingSql(bodyCheck ? { ...filter, rowsPerPage: undefined } : filter);
  const raw = (await m.query(sql, [...params, ...(extra?.params ?? [])])) as MessageRow[];
  let rows: HistoryRow[] = raw.map(toHistoryRow);
  if (bodyCheck) {
    rows = rows.filter((r) => matchesFilter(filter, { ...r, body: r.msg, sentAt: r.timestamp }));
    if (filter.rowsPerPage !== undefined && filter.rowsPerPage !== null) {
      const per = Math.max(0, Math.floor(filter.rowsPerPage));
      const from = per * (Math.max(1, Math.floor(filter.page ?? 1)) - 1);
      rows = rows.slice(from, from + per);
    }
  }
  return rows;
}

/** A `messages` row as the engine sees history (`msg` is the body). */
export function toHistoryRow(r: MessageRow): HistoryRow {
  return {
    id: r.id,
    topic: r.topic,
    msg: r.body,
    headers: r.headers,
    timestamp: new Date(r.sent_at),
    users: r.users,
    packages: r.packages,
  };
}
