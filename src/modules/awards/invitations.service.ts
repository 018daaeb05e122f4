import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type Page, type PageRequest, pageWindow } from '../../common/pagination';
import { Links } from '../../common/links';
import { AuditService } from '../auth/audit.service';
import { missingScope } from '../auth/auth.errors';
import type { Principal } from '../auth/principal';
import type { Badge } from '../badges/badge.entity';
import { BadgesService } from '../badges/badges.service';
import { OutboxPublisher } from '../notifications/outbox.publisher';
import { UsersService } from '../users/users.service';
import { userNotFound } from '../users/users.errors';
import { AuthorizationsService } from './authorizations.service';
import {
  invitationExpired,
  invitationNeedsPerson,
  invitationNotFound,
  invitationRevoked,
} from './awards.errors';
import type { Assertion } from './assertion.entity';
import { AwardsService } from './awards.service';
import { parseExpiry } from './expiry';

export interface InvitationInfo {
  code: string;
  badgeId: string;
  badgeName: string;
  createdBy: string | null;
  createdOn: Date;
  expiresOn: Date;
  revokedOn: Date | null;
  state: 'active' | 'expired' | 'revoked';
  claimUrl: string;
}

export type ClaimResult =
  | { status: 'claimed'; badge: Badge; assertion: Assertion }
  | { status: 'already_held'; badge: Badge; assertion: Assertion };

/**
 * Invitations: an expiring code for one badge (a link or a QR code handed out at an event)
 * that any logged-in person may claim until it expires or its creator withdraws it. Made by
 * the badge's granters and admins; each claim is an award through AwardsService whose
 * `issued_for` is the claim URL, audited with the code.
 */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly ds: DataSource,
    private readonly badges: BadgesService,
    private readonly users: UsersService,
    private readonly awards: AwardsService,
    private readonly authorizations: AuthorizationsService,
    private readonly audit: AuditService,
    private readonly publisher: OutboxPublisher,
    private readonly links: Links,
  ) {}

  async create(by: Principal, badgeId: string, expiresOn: Date | string): Promise<InvitationInfo> {
    const expires = parseExpiry(expiresOn);
    if (by.personId === null) throw invitationNeedsPerson();
    return this.ds.transaction(async (m) => {
      const badge = await this.badges.get(badgeId, m);
      await this.authorizations.require(by, badge.id, m);
      const code = newInvitationCode();
      await m.query(
        `INSERT INTO invitations (id, badge_id, created_by, expires_on) VALUES ($1, $2, $3, $4)`,
        [code, badge.id, by.personId, expires],
      );
      await this.audit.recordBy(
        by,
        {
          action: 'invitation.create',
          subject: code,
          details: { badge: badge.id, expiresOn: expires.toISOString() },
        },
        m,
      );
      return this.getIn(m, code);
    });
  }

  /**
   * The caller's invitations, newest first; admins see everyone's. Optionally those of one
   * badge.
   */
  async list(
    by: Principal,
    q: PageRequest & { badgeId?: string } = {},
  ): Promise<Page<InvitationInfo>> {
    const { page, perPage, offset } = pageWindow(q, 50);
    if (!by.isAdmin && by.personId === null) return { items: [], total: 0, page, perPage };
    const where = `($1::int IS NULL OR i.created_by = $1) AND ($2::text IS NULL OR i.badge_id = $2)`;
    const params = [by.isAdmin ? null : by.personId, q.badgeId ?? null];
    const rows: RawInvitation[] = await this.ds.query(
      `${SELECT} WHERE ${where} ORDER BY i.created_on DESC, i.id LIMIT $3 OFFSET $4`,
      [...params, perPage, offset],
    );
    // Past the last page the window function has no row to count on.
    const total = rows.length
      ? Number(rows[0].total)
      : Number(
          (await this.ds.query(`SELECT count(*) AS n FROM invitations i WHERE ${where}`, params))[0]
            .n,
        );
    return { items: rows.map((r) => this.info(r)), total, page, perPage };
  }

  /** One invitation, for its creator or an admin (anyone else: not found). */
  async getFor(by: Principal, code: string): Promise<InvitationInfo> {
    const [row]: RawInvitation[] = await this.ds.query(`${SELECT} WHERE i.id = $1`, [code]);
    if (!row || !(by.isAdmin || (by.personId !== null && row.created_by === by.personId))) {
      throw invitationNotFound(code);
    }
    return this.info(row);
  }

  /** Withdraws an invitation (its creator or an admin); withdrawing twice changes nothing. */
  async revoke(by: Principal, code: string): Promise<InvitationInfo> {
    if (!by.isAdmin && !by.scopes.includes('grant')) throw missingScope('grant');
    return this.ds.transaction(async (m) => {
      const [row]: { created_by: number; revoked_on: Date | null; badge_id: string }[] =
        await m.query(
          `SELECT created_by, revoked_on, badge_id FROM invitations WHERE id = $1 FOR UPDATE`,
          [code],
        );
      if (!row || !(by.isAdmin || row.created_by === by.personId)) throw invitationNotFound(code);
      if (!row.revoked_on) {
        await m.query(`UPDATE invitations SET revoked_on = now() WHERE id = $1`, [code]);
        await this.audit.recordBy(
          by,
          { action: 'invitation.revoke', subject: code, details: { badge: row.badge_id } },
          m,
        );
      }
      return this.getIn(m, code);
    });
  }

  /**
   * An invitation that can be claimed now: unknown codes are not found (404), expired and
   * withdrawn ones are gone (410).
   */
  async open(code: string, m: EntityManager = this.ds.manager): Promise<InvitationInfo> {
    const [row]: RawInvitation[] = await m.query(`${SELECT} WHERE i.id = $1`, [code]);
    if (!row) throw invitationNotFound(code);
    const info = this.info(row);
    if (info.state === 'revoked') throw invitationRevoked(code);
    if (info.state === 'expired') throw invitationExpired(code, info.expiresOn);
    return info;
  }

  /**
   * Claims an invitation for a logged-in person: the badge is awarded with the claim URL as
   * `issued_for`. A person who holds the badge already gets it once, and is told so.
   */
  async claim(by: Principal, code: string): Promise<ClaimResult> {
    const result = await this.ds.transaction(async (m) => {
      // Locked so a claim cannot slip past a withdrawal made at the same moment.
      await m.query(`SELECT 1 FROM invitations WHERE id = $1 FOR SHARE`, [code]);
      const invitation = await this.open(code, m);
      const person = by.personId === null ? null : await this.users.findById(by.personId, m);
      if (!person?.nickname) throw userNotFound(by.nickname ?? 'you');
      const r = await this.awards.award(
        {
          badgeId: invitation.badgeId,
          nickname: person.nickname,
          person,
          issuedFor: invitation.claimUrl,
        },
        m,
      );
      if (r.status === 'already_awarded') {
        return { status: 'already_held' as const, badge: r.badge, assertion: r.assertion };
      }
      await this.audit.recordBy(
        by,
        {
          action: 'invitation.claim',
          subject: code,
          details: { badge: r.badge.id, user: person.nickname, assertion: r.assertion.id },
        },
        m,
      );
      return { status: 'claimed' as const, badge: r.badge, assertion: r.assertion };
    });
    if (result.status === 'claimed') this.publisher.nudge();
    return result;
  }

  private async getIn(m: EntityManager, code: string): Promise<InvitationInfo> {
    const [row]: RawInvitation[] = await m.query(`${SELECT} WHERE i.id = $1`, [code]);
    return this.info(row);
  }

  private info(r: RawInvitation): InvitationInfo {
    const expiresOn = new Date(r.expires_on);
    const revokedOn = r.revoked_on ? new Date(r.revoked_on) : null;
    return {
      code: r.id,
      badgeId: r.badge_id,
      badgeName: r.badge_name,
      createdBy: r.created_by_nickname,
      createdOn: new Date(r.created_on),
      expiresOn,
      revokedOn,
      state: revokedOn ? 'revoked' : expiresOn.getTime() <= Date.now() ? 'expired' : 'active',
      claimUrl: this.links.claim(r.id),
    };
  }
}

const SELECT = `SELECT i.id, i.badge_id, b.name AS badge_name, i.created_by,
       p.nickname AS created_by_nickname, i.created_on, i.expires_on, i.revoked_on,
       count(*) OVER () AS total
  FROM invitations i JOIN badges b ON b.id = i.badge_id LEFT JOIN persons p ON p.id = i.created_by`;

interface RawInvitation {
  id: string;
  badge_id: string;
  badge_name: string;
  created_by: number;
  created_by_nickname: string | null;
  created_on: Date;
  expires_on: Date;
  revoked_on: Date | null;
  total: string;
}

/**
 * 128 random bits: codes cannot be guessed (the claim URL's rate limit is for the rest).
 * Never starting with "-", which a command line would take for an option
 * (`accolades invitations revoke <code>`).
 */
export function newInvitationCode(random: () => Buffer = () => randomBytes(16)): string {
  for (;;) {
    const code = random().toString('base64url');
    if (!code.startsWith('-')) return code;
  }
}
