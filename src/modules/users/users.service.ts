import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { ENV } from '../../config/config.module';
import type { Env } from '../../config/env.schema';
import { type FieldError, invalid, isUniqueViolation } from '../../common/errors/domain-error';
import { Person, personFromRow } from './person.entity';
import { RankingService } from './ranking.service';
import { percentile } from './ranking';
import { userExists, userNotFound } from './users.errors';

export interface UserProfile {
  person: Person;
  rank: number | null;
  percentile: number | null;
  rankedTotal: number;
}

export interface NewUser {
  nickname: string;
  email?: string;
  website?: string | null;
  bio?: string | null;
  avatar?: string | null;
}

@Injectable()
export class UsersService {
  constructor(
    private readonly ds: DataSource,
    @Inject(ENV) private readonly env: Env,
  ) {}

  /** The person with this nickname, opted out or not (for internal use, never shown). */
  findByNickname(nickname: string, m: EntityManager = this.ds.manager): Promise<Person | null> {
    return m.findOne(Person, { where: { nickname } });
  }

  /** The persons with these nicknames (those that exist), in one read. */
  findByNicknames(
    nicknames: readonly string[],
    m: EntityManager = this.ds.manager,
  ): Promise<Person[]> {
    if (!nicknames.length) return Promise.resolve([]);
    return m.find(Person, { where: { nickname: In([...nicknames]) } });
  }

  /** A person others may see: opted-out persons are "not found" to everyone else. */
  async getVisible(nickname: string, m: EntityManager = this.ds.manager): Promise<Person> {
    const person = await this.findByNickname(nickname, m);
    if (!person || person.optOut) throw userNotFound(nickname);
    return person;
  }

  /** A visible person with rank and percentile, in one round trip (the hottest read). */
  async profile(nickname: string): Promise<UserProfile> {
    const { entities, raw } = await this.ds.manager
      .createQueryBuilder(Person, 'p')
      .addSelect(RankingService.RANK_SQL('p.badge_count'), 'rank')
      .addSelect(RankingService.RANKED_TOTAL_SQL, 'ranked_total')
      .where('p.nickname = :nickname', { nickname })
      .getRawAndEntities();
    const person = entities[0];
    if (!person || person.optOut) throw userNotFound(nickname);
    const rankedTotal = Number(raw[0].ranked_total);
    const rank = person.badgeCount > 0 ? Number(raw[0].rank) : null;
    return {
      person,
      rank,
      percentile: rank === null ? null : percentile(rank, rankedTotal),
      rankedTotal,
    };
  }

  /**
   * A visible person by nickname or, as Tahrir's URLs also allowed, by numeric id
   * (`/user/42`). Opted-out persons are "not found".
   */
  async getVisibleByIdOrNickname(idOrNickname: string): Promise<Person> {
    const byNick = await this.findByNickname(idOrNickname);
    const person =
      byNick ??
      (/^\d{1,9}$/.test(idOrNickname)
        ? await this.ds.manager.findOne(Person, { where: { id: Number(idOrNickname) } })
        : null);
    if (!person || person.optOut) throw userNotFound(idOrNickname);
    return person;
  }

  /**
   * Visible people whose nickname contains the words (case-insensitive), those starting
   * with them first, then the most decorated.
   */
  async search(q: string, limit = 20): Promise<Person[]> {
    const term = q.trim().toLowerCase();
    if (!term) return [];
    const like = term.replace(/[\\%_]/g, (c) => `\\${c}`);
    return this.ds.manager
      .createQueryBuilder(Person, 'p')
      .where('NOT p.opt_out')
      .andWhere('lower(p.nickname) LIKE :contains', { contains: `%${like}%` })
      .orderBy(`CASE WHEN lower(p.nickname) LIKE :prefix THEN 0 ELSE 1 END`)
      .addOrderBy('p.badge_count', 'DESC')
      .addOrderBy('p.nickname')
      .setParameter('prefix', `${like}%`)
      .limit(limit)
      .getMany();
  }

  /** The email Tahrir gave accounts: `<nickname>@<ACCOLADES_EMAIL_DOMAIN>`. */
  defaultEmail(nickname: string): string {
    return `${nickname}@${this.env.ACCOLADES_EMAIL_DOMAIN}`;
  }

  async create(user: NewUser, m: EntityManager = this.ds.manager): Promise<Person> {
    try {
      return await m.save(
        m.create(Person, {
          nickname: user.nickname,
          email: user.email ?? this.defaultEmail(user.nickname),
          website: user.website ?? null,
          bio: user.bio ?? null,
          avatar: user.avatar ?? null,
        }),
      );
    } catch (err) {
      if (isUniqueViolation(err, 'persons_nickname_key')) throw userExists('nickname');
      if (isUniqueViolation(err, 'persons_email_key')) throw userExists('email');
      throw err;
    }
  }

  /**
   * The person with this account name, created on first sight (as fedbadges and Tahrir did
   * for award recipients and first logins). Safe under concurrency: a racing insert is
   * ignored and the row read back.
   */
  async ensure(
    nickname: string,
    m: EntityManager = this.ds.manager,
  ): Promise<{ person: Person; created: boolean }> {
    const existing = await this.findByNickname(nickname, m);
    if (existing) return { person: existing, created: false };
    return this.createOnFirstSight(nickname, m);
  }

  /**
   * Creates the person of an account name the caller found unknown (in this transaction),
   * with the default email, in one statement; if another transaction created them since,
   * that person is returned.
   */
  async createOnFirstSight(
    nickname: string,
    m: EntityManager = this.ds.manager,
  ): Promise<{ person: Person; created: boolean }> {
    const [row] = (await m.query(
      `INSERT INTO persons (nickname, email) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING *`,
      [nickname, this.defaultEmail(nickname)],
    )) as Record<string, unknown>[];
    if (row) return { person: personFromRow(row), created: true };
    const person = await this.findByNickname(nickname, m);
    // Not created, and nobody has the nickname: the default email belongs to someone else.
    if (!person) throw userExists('email');
    return { person, created: false };
  }

  /**
   * A person edits their own profile (and, if given, hides or shows themselves) in one
   * statement. Website: empty or an http(s) URL (pages only link those); bio: plain text up
   * to 2000 characters. Field errors say what to fix.
   */
  async updateProfile(
    personId: number,
    edit: { website?: string | null; bio?: string | null; optOut?: boolean },
    m: EntityManager = this.ds.manager,
  ): Promise<Person> {
    const website = (edit.website ?? '').trim();
    const bio = (edit.bio ?? '').replace(/\r\n/g, '\n').trim();
    const fields: FieldError[] = [];
    if (website) {
      let ok = website.length <= 2000;
      try {
        ok &&= ['http:', 'https:'].includes(new URL(website).protocol);
      } catch {
        ok = false;
      }
      if (!ok) fields.push({ field: 'website', errors: ['Give an http:// or https:// address.'] });
    }
    if (bio.length > 2000) {
      fields.push({ field: 'bio', errors: ['Keep the bio under 2000 characters.'] });
    }
    // Control characters have no place in a bio shown on pages and in feeds.
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(bio)) {
      fields.push({ field: 'bio', errors: ['The bio contains control characters.'] });
    }
    if (fields.length) throw invalid('USER.INVALID_PROFILE', 'The profile was not saved.', fields);
    await m.update(
      Person,
      { id: personId },
      {
        website: website || null,
        bio: bio || null,
        ...(edit.optOut === undefined ? {} : { optOut: edit.optOut }),
      },
    );
    const person = await m.findOne(Person, { where: { id: personId } });
    if (!person) throw userNotFound(String(personId));
    return person;
  }

  async findById(id: number, m: EntityManager = this.ds.manager): Promise<Person | null> {
    return m.findOne(Person, { where: { id } });
  }

  async setOptOut(nickname: string, optOut: boolean): Promise<Person> {
    const person = await this.findByNickname(nickname);
    if (!person) throw userNotFound(nickname);
    await this.ds.manager.update(Person, { id: person.id }, { optOut });
    return { ...person, optOut };
  }
}
