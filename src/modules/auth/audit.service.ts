import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type Page, type PageRequest, pageWindow } from '../../common/pagination';
import { actorName, type Principal } from './principal';

/** The actions the audit log records (see issue 7): what people do by hand, never the rules. */
export type AuditAction =
  | 'badge.grant'
  | 'badge.revoke'
  | 'invitation.create'
  | 'invitation.claim'
  | 'invitation.revoke'
  | 'authorization.add'
  | 'authorization.remove'
  | 'token.create'
  | 'token.revoke'
  | 'role.change'
  | 'issuer.create'
  | 'issuer.update'
  | 'issuer.delete'
  | 'badge.create'
  | 'badge.update'
  | 'badge.delete'
  | 'series.create'
  | 'series.update'
  | 'series.delete'
  | 'milestone.set'
  | 'milestone.remove';

export interface AuditEntry {
  /** Account name of who did it, "bootstrap" for the admin token, null for the system. */
  actor: string | null;
  action: AuditAction | string;
  /** What it was done to: `<badge id>/<nickname>`, a nickname, an invitation id... */
  subject: string;
  details?: Record<string, unknown>;
}

export interface AuditRecord extends Required<AuditEntry> {
  id: number;
  at: Date;
}

/**
 * Who did what, when: every manual grant, revoke, invitation, granter change, token and
 * role change. Written in the caller's transaction so an entry exists exactly when the
 * change does.
 */
@Injectable()
export class AuditService {
  constructor(private readonly ds: DataSource) {}

  async record(entry: AuditEntry, m: EntityManager = this.ds.manager): Promise<void> {
    await m.query(
      `INSERT INTO audit_log (actor, action, subject, details) VALUES ($1, $2, $3, $4::jsonb)`,
      [entry.actor, entry.action, entry.subject, JSON.stringify(entry.details ?? {})],
    );
  }

  /**
   * Records a change made by someone (`by`: a person's session or token, or the bootstrap
   * token). Changes made by nobody in particular (the rules, an import, the demo seeder)
   * pass no `by` and are not audited.
   */
  async recordBy(
    by: Principal | undefined,
    entry: Omit<AuditEntry, 'actor'>,
    m: EntityManager = this.ds.manager,
  ): Promise<void> {
    if (by) await this.record({ actor: actorName(by), ...entry }, m);
  }

  /** Newest first. */
  async list(r: PageRequest = {}, m: EntityManager = this.ds.manager): Promise<Page<AuditRecord>> {
    const { page, perPage, offset } = pageWindow(r, 50);
    const rows: RawAudit[] = await m.query(
      `SELECT id, at, actor, action, subject, details, count(*) OVER () AS total
         FROM audit_log ORDER BY at DESC, id DESC LIMIT $1 OFFSET $2`,
      [perPage, offset],
    );
    const total = rows.length
      ? Number(rows[0].total)
      : Number((await m.query(`SELECT count(*) AS n FROM audit_log`))[0].n);
    return { items: rows.map(toRecord), total, page, perPage };
  }

  /** Every entry, oldest first, in batches (for the CSV export). */
  async *all(batch = 1000): AsyncGenerator<AuditRecord> {
    let after = 0;
    for (;;) {
      const rows: RawAudit[] = await this.ds.query(
        `SELECT id, at, actor, action, subject, details FROM audit_log WHERE id > $1
          ORDER BY id LIMIT $2`,
        [after, batch],
      );
      for (const r of rows) yield toRecord(r);
      if (rows.length < batch) return;
      after = Number(rows[rows.length - 1].id);
    }
  }
}

interface RawAudit {
  id: string;
  at: Date;
  actor: string | null;
  action: string;
  subject: string;
  details: Record<string, unknown>;
  total?: string;
}

function toRecord(r: RawAudit): AuditRecord {
  return {
    id: Number(r.id),
    at: new Date(r.at),
    actor: r.actor,
    action: r.action,
    subject: r.subject,
    details: r.details ?? {},
  };
}
