import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../auth/audit.service';
import type { Principal } from '../auth/principal';
import { BadgesService } from '../badges/badges.service';
import { UsersService } from '../users/users.service';
import { userNotFound } from '../users/users.errors';
import { Authorization } from './authorization.entity';
import { authorizationExists, authorizationNotFound, notGranter } from './awards.errors';

export interface Granter {
  personId: number;
  nickname: string | null;
}

/** Who may grant which badge, besides admins. */
@Injectable()
export class AuthorizationsService {
  constructor(
    private readonly ds: DataSource,
    private readonly badges: BadgesService,
    private readonly users: UsersService,
    private readonly audit: AuditService,
  ) {}

  async list(badgeId: string): Promise<Granter[]> {
    await this.badges.get(badgeId);
    const rows: { person_id: number; nickname: string | null }[] = await this.ds.query(
      `SELECT a.person_id, p.nickname FROM authorizations a JOIN persons p ON p.id = a.person_id
        WHERE a.badge_id = $1 ORDER BY p.nickname`,
      [badgeId],
    );
    return rows.map((r) => ({ personId: r.person_id, nickname: r.nickname }));
  }

  /** Makes a person a granter of a badge (audited when someone does it: `by`). */
  async add(badgeId: string, nickname: string, by?: Principal): Promise<Granter> {
    return this.ds.transaction(async (m) => {
      await this.badges.get(badgeId, m);
      const person = await this.users.findByNickname(nickname, m);
      if (!person) throw userNotFound(nickname);
      const [row]: { id: number }[] = await m.query(
        `INSERT INTO authorizations (badge_id, person_id) VALUES ($1, $2)
         ON CONFLICT (badge_id, person_id) DO NOTHING RETURNING id`,
        [badgeId, person.id],
      );
      if (!row) throw authorizationExists(badgeId, nickname);
      await this.audit.recordBy(
        by,
        { action: 'authorization.add', subject: `${badgeId}/${nickname}` },
        m,
      );
      return { personId: person.id, nickname: person.nickname };
    });
  }

  async remove(badgeId: string, nickname: string, by?: Principal): Promise<void> {
    await this.ds.transaction(async (m) => {
      await this.badges.get(badgeId, m);
      const person = await this.users.findByNickname(nickname, m);
      if (!person) throw userNotFound(nickname);
      const result = await m.delete(Authorization, { badgeId, personId: person.id });
      if (!result.affected) throw authorizationNotFound(badgeId, nickname);
      await this.audit.recordBy(
        by,
        { action: 'authorization.remove', subject: `${badgeId}/${nickname}` },
        m,
      );
    });
  }

  async mayGrant(
    badgeId: string,
    personId: number,
    m: EntityManager = this.ds.manager,
  ): Promise<boolean> {
    return m.exists(Authorization, { where: { badgeId, personId } });
  }

  /**
   * Whether a caller may grant, revoke and invite for a badge: admins (and the bootstrap
   * token), and the badge's granters acting with the `grant` scope (a session has it; a
   * token only when it was given it).
   */
  async allows(
    p: Principal | null,
    badgeId: string,
    m: EntityManager = this.ds.manager,
  ): Promise<boolean> {
    if (!p) return false;
    if (p.isAdmin) return true;
    if (p.personId === null || !p.scopes.includes('grant')) return false;
    return this.mayGrant(badgeId, p.personId, m);
  }

  /** As `allows`, refusing with 403 `GRANT.FORBIDDEN`. */
  async require(p: Principal | null, badgeId: string, m?: EntityManager): Promise<void> {
    if (!(await this.allows(p, badgeId, m))) throw notGranter(badgeId);
  }

  /** The badges this person may grant. */
  async grantableBy(personId: number): Promise<string[]> {
    const rows = await this.ds.manager.find(Authorization, {
      where: { personId },
      order: { badgeId: 'ASC' },
    });
    return rows.map((r) => r.badgeId);
  }
}
