import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUniqueViolation } from '../../common/errors/domain-error';
import { BadgesService } from '../badges/badges.service';
import { UsersService } from '../users/users.service';
import { userNotFound } from '../users/users.errors';
import { Authorization } from './authorization.entity';
import { authorizationExists, authorizationNotFound } from './awards.errors';

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

  async add(badgeId: string, nickname: string): Promise<Granter> {
    await this.badges.get(badgeId);
    const person = await this.users.findByNickname(nickname);
    if (!person) throw userNotFound(nickname);
    try {
      await this.ds.manager.insert(Authorization, { badgeId, personId: person.id });
    } catch (err) {
      if (isUniqueViolation(err)) throw authorizationExists(badgeId, nickname);
      throw err;
    }
    return { personId: person.id, nickname: person.nickname };
  }

  async remove(badgeId: string, nickname: string): Promise<void> {
    await this.badges.get(badgeId);
    const person = await this.users.findByNickname(nickname);
    if (!person) throw userNotFound(nickname);
    const result = await this.ds.manager.delete(Authorization, { badgeId, personId: person.id });
    if (!result.affected) throw authorizationNotFound(badgeId, nickname);
  }

  async mayGrant(badgeId: string, personId: number): Promise<boolean> {
    return this.ds.manager.exists(Authorization, { where: { badgeId, personId } });
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
