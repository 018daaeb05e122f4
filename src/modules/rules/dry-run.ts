import type { EntityManager } from 'typeorm';
import {
  type AwardsPort,
  type BusMessage,
  evaluateRule,
  type EvaluationContext,
  type HistoryFilter,
  type HistoryPort,
  type HistoryRow,
  type Rule,
} from './engine';
import { filterSql, needsBodyCheck } from './history/history-sql';
import { selectRows } from './history/history-rows';

export interface DryRunAward {
  user: string;
  msgId: string;
  topic: string;
  sentAt: Date;
  trace: string[];
}

export interface DryRunResult {
  badgeId: string;
  badgeName: string;
  since: Date;
  /** Stored messages since the date. */
  scanned: number;
  /** Messages the rule's trigger accepted. */
  triggered: number;
  awards: DryRunAward[];
  skipped: { user: string; msgId: string; reason: string }[];
  errors: { msgId: string; error: string }[];
}

const PAGE = 1_000;

/**
 * The history as it stood when a past message was processed: only messages stored up to
 * it (by sent time, then id), always counted in SQL (counters hold today's totals).
 */
export class DryRunHistory implements HistoryPort {
  constructor(
    private readonly m: EntityManager,
    private readonly at: { sentAt: Date; id: string },
  ) {}

  private get bound() {
    return {
      where: '(sent_at, id) <= ($1::timestamptz, $2::text)',
      params: [this.at.sentAt, this.at.id],
    };
  }

  async count(filter: HistoryFilter): Promise<number> {
    if (needsBodyCheck(filter))
      return (await this.rows({ ...filter, rowsPerPage: undefined })).length;
    const { where, params } = filterSql(filter, 3);
    const [row] = (await this.m.query(
      `SELECT count(*)::bigint AS n FROM messages WHERE ${this.bound.where} AND ${where}`,
      [...this.bound.params, ...params],
    )) as { n: string }[];
    return Number(row.n);
  }

  rows(filter: HistoryFilter): Promise<HistoryRow[]> {
    return selectRows(this.m, filter, this.bound);
  }
}

interface StoredMessage {
  id: string;
  topic: string;
  body: unknown;
  headers: Record<string, unknown>;
  sent_at: Date;
  users: string[];
  packages: string[];
  agent: string | null;
}

/** Runs a rule over the stored messages since a date, in time order (keyset pages). */
export async function dryRunOver(
  rule: Rule,
  since: Date,
  m: EntityManager,
  contextAt: (at: { sentAt: Date; id: string }) => EvaluationContext,
): Promise<DryRunResult> {
  const result: DryRunResult = {
    badgeId: rule.badgeId,
    badgeName: rule.name,
    since,
    scanned: 0,
    triggered: 0,
    awards: [],
    skipped: [],
    errors: [],
  };
  const awarded = new Set<string>();
  let after: { sentAt: Date; id: string } | null = null;
  for (;;) {
    const page = (await m.query(
      `SELECT id, topic, body, headers, sent_at, users, packages, agent FROM messages
        WHERE sent_at >= $1 ${after ? 'AND (sent_at, id) > ($2::timestamptz, $3::text)' : ''}
        ORDER BY sent_at, id LIMIT ${PAGE}`,
      after ? [since, after.sentAt, after.id] : [since],
    )) as StoredMessage[];
    for (const row of page) {
      result.scanned++;
      const message: BusMessage = {
        id: row.id,
        topic: row.topic,
        body: row.body,
        headers: row.headers,
        sentAt: new Date(row.sent_at),
        users: row.users,
        packages: row.packages,
        agent: row.agent,
      };
      if (!rule.triggeredBy(message)) continue;
      const base = contextAt({ sentAt: message.sentAt, id: message.id });
      const awards: AwardsPort = {
        holds: async (badgeId, user) =>
          (badgeId === rule.badgeId && awarded.has(user)) || base.awards.holds(badgeId, user),
        optedOut: (user) => base.awards.optedOut(user),
      };
      const outcome = await evaluateRule(rule, message, { ...base, awards });
      if (!outcome.triggered) continue;
      result.triggered++;
      if (outcome.error) result.errors.push({ msgId: message.id, error: outcome.error });
      for (const s of outcome.skipped)
        result.skipped.push({ user: s.user, msgId: message.id, reason: s.reason });
      for (const user of outcome.recipients) {
        awarded.add(user);
        result.awards.push({
          user,
          msgId: message.id,
          topic: message.topic,
          sentAt: message.sentAt,
          trace: outcome.trace,
        });
      }
    }
    if (page.length < PAGE) break;
    const last = page[page.length - 1];
    after = { sentAt: new Date(last.sent_at), id: last.id };
  }
  return result;
}
