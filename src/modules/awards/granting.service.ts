import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { invalid } from '../../common/errors/domain-error';
import { AuditService } from '../auth/audit.service';
import type { Principal } from '../auth/principal';
import type { Badge } from '../badges/badge.entity';
import { BadgesService } from '../badges/badges.service';
import { OutboxPublisher } from '../notifications/outbox.publisher';
import { AuthorizationsService } from './authorizations.service';
import { type AwardResult, AwardsService } from './awards.service';
import { MAX_NAMES, sortNames } from './name-list';
import type { RevokedAssertion } from './revoked-assertion.entity';

/** What a grant (or revoke) of one badge to a list of names would do, before doing it. */
export interface GrantPlan {
  mode: 'grant' | 'revoke';
  badge: Badge;
  /** Who would get the badge (grant) or lose it (revoke), in the order given. */
  change: string[];
  /** Named people it would not change: they already hold it (grant) or do not (revoke). */
  unchanged: string[];
  /** Valid account names nobody here has. */
  unknown: string[];
  /** Text that is not an account name at all. */
  invalid: string[];
}

export type BulkResult =
  | { status: 'done'; plan: GrantPlan; batch: string }
  /** The plan confirmed is not the plan any more: nothing was written; here is the new one. */
  | { status: 'changed'; plan: GrantPlan };

/** Thrown inside a transaction to roll it back when the confirmed plan no longer holds. */
class PlanChanged extends Error {}

/**
 * Awards and revocations made by people (admins, and granters for their badges), from the
 * pages and the API: the rights check, AwardsService's award or revoke, and the audit entry,
 * in one transaction. Lists of names are previewed first and confirmed as previewed, all or
 * nothing.
 */
@Injectable()
export class GrantingService {
  constructor(
    private readonly ds: DataSource,
    private readonly badges: BadgesService,
    private readonly awards: AwardsService,
    private readonly authorizations: AuthorizationsService,
    private readonly audit: AuditService,
    private readonly publisher: OutboxPublisher,
  ) {}

  /** Whether the caller may grant this badge (pages show the grant form only then). */
  mayGrant(p: Principal | null, badgeId: string): Promise<boolean> {
    return this.authorizations.allows(p, badgeId);
  }

  /** Grants a badge to one person; a holder already is a conflict (409). */
  async grant(
    by: Principal,
    cmd: { badgeId: string; nickname: string; issuedFor?: string | null },
  ): Promise<Extract<AwardResult, { status: 'awarded' }>> {
    const result = await this.ds.transaction(async (m) => {
      const badge = await this.badges.get(cmd.badgeId, m);
      await this.authorizations.require(by, badge.id, m);
      const awarded = await this.awards.grant({ ...cmd, badge }, m);
      await this.audit.recordBy(by, grantEntry(awarded, cmd.issuedFor ?? null), m);
      return awarded;
    });
    this.publisher.nudge();
    return result;
  }

  /** Revokes a badge from one person, with a reason verifiers are shown. */
  async revoke(
    by: Principal,
    badgeId: string,
    nickname: string,
    reason = '',
  ): Promise<RevokedAssertion> {
    return this.ds.transaction(async (m) => {
      const badge = await this.badges.get(badgeId, m);
      await this.authorizations.require(by, badge.id, m);
      const revoked = await this.awards.revoke(badge.id, nickname, reason, m);
      await this.audit.recordBy(by, revokeEntry(badge.id, nickname, revoked, reason), m);
      return revoked;
    });
  }

  /** What granting (or revoking) this badge to these names would do. Writes nothing. */
  async plan(
    by: Principal,
    mode: GrantPlan['mode'],
    badgeId: string,
    names: string[],
    m: EntityManager = this.ds.manager,
  ): Promise<GrantPlan> {
    const badge = await this.badges.get(badgeId, m);
    await this.authorizations.require(by, badge.id, m);
    const { valid, invalid: notNames } = sortNames(names);
    if (!valid.length && !notNames.length) {
      throw invalid('GRANT.NO_NAMES', 'Name at least one person.', [
        { field: 'names', errors: ['Name at least one person (account names).'] },
      ]);
    }
    if (valid.length + notNames.length > MAX_NAMES) {
      throw invalid('GRANT.TOO_MANY', `At most ${MAX_NAMES} people at once.`, [
        { field: 'names', errors: [`At most ${MAX_NAMES} people at once: split the list.`] },
      ]);
    }
    const rows: { nickname: string; holds: boolean }[] = await m.query(
      `SELECT p.nickname, EXISTS (SELECT 1 FROM assertions a
                                   WHERE a.person_id = p.id AND a.badge_id = $1) AS holds
         FROM persons p WHERE p.nickname = ANY($2::text[])`,
      [badge.id, valid],
    );
    const holds = new Map(rows.map((r) => [r.nickname, r.holds]));
    const plan: GrantPlan = {
      mode,
      badge,
      change: [],
      unchanged: [],
      unknown: [],
      invalid: notNames,
    };
    for (const name of valid) {
      const held = holds.get(name);
      if (held === undefined) plan.unknown.push(name);
      else if (held === (mode === 'revoke')) plan.change.push(name);
      else plan.unchanged.push(name);
    }
    return plan;
  }

  /**
   * Carries out a previewed plan, all or nothing: the plan is made again in the transaction,
   * and if the people it would change are not exactly those confirmed (someone got the badge
   * meanwhile, a person appeared), nothing is written and the new plan is returned instead.
   */
  async confirm(
    by: Principal,
    mode: GrantPlan['mode'],
    badgeId: string,
    names: string[],
    confirmed: string[],
    extra: { issuedFor?: string | null; reason?: string } = {},
  ): Promise<BulkResult> {
    const batch = randomUUID();
    try {
      const plan = await this.ds.transaction(async (m) => {
        const now = await this.plan(by, mode, badgeId, names, m);
        if (!sameSet(now.change, confirmed)) throw new PlanChanged();
        for (const nickname of now.change) {
          if (mode === 'grant') {
            const cmd = { badgeId, nickname, badge: now.badge, issuedFor: extra.issuedFor };
            const r = await this.awards.award(cmd, m);
            // Awarded by someone else between the plan and this insert.
            if (r.status !== 'awarded') throw new PlanChanged();
            await this.audit.recordBy(by, grantEntry(r, extra.issuedFor ?? null, batch), m);
          } else {
            const reason = extra.reason ?? '';
            const revoked = await this.awards.revoke(badgeId, nickname, reason, m);
            await this.audit.recordBy(
              by,
              revokeEntry(badgeId, nickname, revoked, reason, batch),
              m,
            );
          }
        }
        return now;
      });
      if (mode === 'grant' && plan.change.length) this.publisher.nudge();
      return { status: 'done', plan, batch };
    } catch (err) {
      const changed =
        err instanceof PlanChanged ||
        // Revoked by someone else between the plan and this delete.
        (mode === 'revoke' && (err as { code?: string }).code === 'ASSERTION.NOT_FOUND');
      if (!changed) throw err;
      return { status: 'changed', plan: await this.plan(by, mode, badgeId, names) };
    }
  }
}

function sameSet(a: string[], b: string[]): boolean {
  const set = new Set(b);
  return a.length === set.size && a.every((x) => set.has(x));
}

function grantEntry(
  r: Extract<AwardResult, { status: 'awarded' }>,
  issuedFor: string | null,
  batch?: string,
) {
  return {
    action: 'badge.grant',
    subject: `${r.badge.id}/${r.person.nickname}`,
    details: { assertion: r.assertion.id, issuedFor: issuedFor ?? undefined, batch },
  };
}

function revokeEntry(
  badgeId: string,
  nickname: string,
  r: RevokedAssertion,
  reason: string,
  batch?: string,
) {
  return {
    action: 'badge.revoke',
    subject: `${badgeId}/${nickname}`,
    details: { assertion: r.id, reason, batch },
  };
}
