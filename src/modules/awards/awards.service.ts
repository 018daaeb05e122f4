import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type Page, type PageRequest, pageWindow } from '../../common/pagination';
import { type Badge, badgeColumns, badgeFromRow } from '../badges/badge.entity';
import { BadgesService } from '../badges/badges.service';
import { NotificationsService } from '../notifications/notifications.service';
import { OutboxPublisher } from '../notifications/outbox.publisher';
import type { Person } from '../users/person.entity';
import { RankingService } from '../users/ranking.service';
import { UsersService } from '../users/users.service';
import { userNotFound } from '../users/users.errors';
import { ConcurrentChangeError } from '../../database/transaction-retry';
import { Assertion } from './assertion.entity';
import { alreadyAwarded, assertionNotFound } from './awards.errors';
import { hashRecipient, newSalt } from './recipient';
import { RevokedAssertion } from './revoked-assertion.entity';

export interface AwardCommand {
  badgeId: string;
  nickname: string;
  issuedFor?: string | null;
  issuedOn?: Date;
  /**
   * Create the person on first sight (rules and logins do, as fedbadges did); the admin
   * API refuses unknown users instead.
   */
  createPerson?: boolean;
  /** The badge and the person, when the caller has read them in this transaction already. */
  badge?: Badge;
  person?: Person | null;
}

/**
 * An award decided inside a transaction, written with the others of that transaction by
 * `recordAwards`. Its id is chosen up front, so its award message can be processed at once.
 */
export interface NewAward {
  assertionId: string;
  badge: Badge;
  person: Person;
  issuedFor: string | null;
  issuedOn: Date;
}

export type AwardResult =
  | {
      status: 'awarded';
      assertion: Assertion;
      badge: Badge;
      person: Person;
      personCreated: boolean;
      oldRank: number | null;
      newRank: number | null;
    }
  | { status: 'already_awarded'; assertion: Assertion; badge: Badge; person: Person };

export interface HeldBadge {
  assertion: Assertion;
  badge: Badge;
}

export interface Holder {
  personId: number;
  nickname: string | null;
  email: string;
  avatar: string | null;
  issuedOn: Date;
  issuedFor: string | null;
}

export interface Earner {
  nickname: string | null;
  issuedOn: Date;
}

export type BadgeSummary = Pick<Badge, 'id' | 'name' | 'image' | 'description'>;

export interface Comparison {
  a: Person;
  b: Person;
  onlyA: BadgeSummary[];
  onlyB: BadgeSummary[];
  shared: BadgeSummary[];
}

@Injectable()
export class AwardsService {
  private readonly logger = new Logger('Awards');

  constructor(
    private readonly ds: DataSource,
    private readonly badges: BadgesService,
    private readonly users: UsersService,
    private readonly ranking: RankingService,
    private readonly notifications: NotificationsService,
    private readonly publisher: OutboxPublisher,
  ) {}

  /**
   * Awards a badge: one row, at most once per badge and person (a unique constraint decides
   * under concurrency: a duplicate is an "already awarded" result, never a second row).
   * Counts, ranks and period tallies move in the same transaction (database triggers), and
   * the award (and rank advance) notifications are written to the outbox in it too.
   * Runs in the caller's transaction when given one.
   */
  async award(cmd: AwardCommand, m?: EntityManager): Promise<AwardResult> {
    if (!m) {
      const result = await this.ds.transaction((tx) => this.award(cmd, tx));
      if (result.status === 'awarded') this.publisher.nudge();
      return result;
    }
    const badge = cmd.badge ?? (await this.badges.get(cmd.badgeId, m));
    let person = cmd.person ?? (await this.users.findByNickname(cmd.nickname, m));
    let personCreated = false;
    if (!person) {
      if (!cmd.createPerson) throw userNotFound(cmd.nickname);
      ({ person, created: personCreated } = await this.users.ensure(cmd.nickname, m));
    }
    const salt = newSalt();
    const fields = {
      id: randomUUID(),
      badgeId: badge.id,
      personId: person.id,
      salt,
      recipient: hashRecipient(person.email, salt),
      issuedFor: cmd.issuedFor ?? null,
    };
    const inserted: { issued_on: Date }[] = await m.query(
      `INSERT INTO assertions (id, badge_id, person_id, salt, recipient, issued_on, issued_for)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (badge_id, person_id) DO NOTHING RETURNING issued_on`,
      [
        fields.id,
        fields.badgeId,
        fields.personId,
        salt,
        fields.recipient,
        cmd.issuedOn ?? new Date(),
        fields.issuedFor,
      ],
    );
    if (!inserted.length) {
      const held = await m.findOneByOrFail(Assertion, { badgeId: badge.id, personId: person.id });
      return { status: 'already_awarded', assertion: held, badge, person };
    }
    const assertion = m.create(Assertion, { ...fields, issuedOn: inserted[0].issued_on });
    // One read after the insert (whose triggers moved the counts): both ranks, fresh count.
    const { badgeCount, oldRank, newRank } = await this.ranking.ranksAfterAward(person.id, m);
    const updated = { ...person, badgeCount };
    await this.notifications.awarded(
      m,
      { assertionId: assertion.id, badge, person: updated },
      { oldRank, newRank },
    );
    this.logger.log(
      { badge: badge.id, user: person.nickname, assertion: assertion.id },
      'badge awarded',
    );
    return {
      status: 'awarded',
      assertion,
      badge,
      person: updated,
      personCreated,
      oldRank,
      newRank,
    };
  }

  /** An award of this badge to this person, to be written by `recordAwards`. */
  newAward(
    badge: Badge,
    person: Person,
    issuedFor: string | null,
    issuedOn = new Date(),
  ): NewAward {
    return { assertionId: randomUUID(), badge, person, issuedFor, issuedOn };
  }

  /**
   * Writes the awards a transaction decided (the rules of a batch of messages), in one
   * statement: the figures and ranks move once for all of them (the triggers aggregate
   * and lock shared rows in key order, so replicas writing at once do not deadlock on
   * them), then the award messages and, per person, one rank advance if their rank got
   * better, go to the outbox. The caller decided each award on what it read in this
   * transaction; an award another replica committed since then makes the insert skip a
   * row, and the whole transaction is rolled back to run again (ConcurrentChangeError),
   * since the caller already acted on an award that is not ours to make.
   */
  async recordAwards(awards: readonly NewAward[], m: EntityManager): Promise<void> {
    if (!awards.length) return;
    const personIds = [...new Set(awards.map((a) => a.person.id))];
    const before = await this.ranking.standingsOf(personIds, m);
    const cols = {
      ids: [] as string[],
      badges: [] as string[],
      persons: [] as number[],
      salts: [] as string[],
      recipients: [] as string[],
      issued: [] as Date[],
      issuedFor: [] as (string | null)[],
    };
    for (const a of awards) {
      const salt = newSalt();
      cols.ids.push(a.assertionId);
      cols.badges.push(a.badge.id);
      cols.persons.push(a.person.id);
      cols.salts.push(salt);
      cols.recipients.push(hashRecipient(a.person.email, salt));
      cols.issued.push(a.issuedOn);
      cols.issuedFor.push(a.issuedFor);
    }
    const inserted = (await m.query(
      `INSERT INTO assertions (id, badge_id, person_id, salt, recipient, issued_on, issued_for)
       SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::int[], $4::varchar[],
                            $5::varchar[], $6::timestamptz[], $7::text[])
       ON CONFLICT (badge_id, person_id) DO NOTHING RETURNING id`,
      Object.values(cols),
    )) as { id: string }[];
    if (inserted.length < awards.length)
      throw new ConcurrentChangeError('a badge decided here was awarded meanwhile elsewhere');
    const after = await this.ranking.standingsOf(personIds, m);
    const persons = new Map(
      awards.map((a) => [
        a.person.id,
        { ...a.person, badgeCount: after.get(a.person.id)?.badgeCount ?? a.person.badgeCount },
      ]),
    );
    await this.notifications.awardedMany(
      m,
      awards.map((a) => ({
        assertionId: a.assertionId,
        badge: a.badge,
        person: persons.get(a.person.id)!,
      })),
      personIds.map((id) => ({
        person: persons.get(id)!,
        oldRank: before.get(id)?.rank ?? null,
        newRank: after.get(id)?.rank ?? null,
      })),
    );
    for (const a of awards)
      this.logger.log(
        { badge: a.badge.id, user: a.person.nickname, assertion: a.assertionId },
        'badge awarded',
      );
  }

  /** Award, with a duplicate refused as a conflict (for people and the admin API). */
  async grant(
    cmd: AwardCommand,
    m?: EntityManager,
  ): Promise<Extract<AwardResult, { status: 'awarded' }>> {
    const result = await this.award(cmd, m);
    if (result.status === 'already_awarded') throw alreadyAwarded(cmd.badgeId, cmd.nickname);
    return result;
  }

  /**
   * Revokes an award. The assertion leaves the live table (counts and ranks follow) and is
   * kept among the revoked ones with the reason, for Open Badges verifiers.
   */
  async revoke(
    badgeId: string,
    nickname: string,
    reason = '',
    m?: EntityManager,
  ): Promise<RevokedAssertion> {
    if (!m) return this.ds.transaction((tx) => this.revoke(badgeId, nickname, reason, tx));
    await this.badges.get(badgeId, m);
    const person = await this.users.findByNickname(nickname, m);
    if (!person) throw userNotFound(nickname);
    const removed = await m
      .createQueryBuilder()
      .delete()
      .from(Assertion)
      .where('badge_id = :badgeId AND person_id = :personId', { badgeId, personId: person.id })
      .returning('*')
      .execute();
    const row = (removed.raw as Record<string, unknown>[])[0] as
      | {
          id: string;
          badge_id: string;
          person_id: number;
          salt: string;
          issued_on: Date;
          issued_for: string | null;
          recipient: string;
        }
      | undefined;
    if (!row) throw assertionNotFound(badgeId, nickname);
    const revoked = m.create(RevokedAssertion, {
      id: row.id,
      badgeId: row.badge_id,
      personId: row.person_id,
      salt: row.salt,
      issuedOn: row.issued_on,
      issuedFor: row.issued_for,
      recipient: row.recipient,
      revokedOn: new Date(),
      reason,
    });
    await m.save(revoked);
    this.logger.log({ badge: badgeId, user: nickname, assertion: row.id }, 'badge revoked');
    return revoked;
  }

  /** Does this person hold this badge? */
  async holds(
    badgeId: string,
    personId: number,
    m: EntityManager = this.ds.manager,
  ): Promise<Assertion | null> {
    return m.findOneBy(Assertion, { badgeId, personId });
  }

  /** The ids of the badges each of these persons holds, in one read. */
  async badgeIdsHeldBy(
    personIds: readonly number[],
    m: EntityManager = this.ds.manager,
  ): Promise<Map<number, Set<string>>> {
    const held = new Map(personIds.map((id) => [id, new Set<string>()]));
    if (!personIds.length) return held;
    const rows = (await m.query(
      `SELECT person_id, badge_id FROM assertions WHERE person_id = ANY($1::int[])`,
      [[...personIds]],
    )) as { person_id: number; badge_id: string }[];
    for (const r of rows) held.get(r.person_id)?.add(r.badge_id);
    return held;
  }

  /** An assertion by its id (the Open Badges URLs carry it). */
  find(id: string, m: EntityManager = this.ds.manager): Promise<Assertion | null> {
    return m.findOneBy(Assertion, { id });
  }

  /**
   * An assertion with its badge, in one indexed read (Open Badges URLs of an award, baked
   * images and credentials, are served often: backpacks and pages embed them).
   */
  async findWithBadge(id: string): Promise<{ assertion: Assertion; badge: Badge } | null> {
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT a.id, a.badge_id, a.person_id, a.salt, a.issued_on, a.issued_for, a.recipient,
              b.name, b.image, b.stl, b.description, b.criteria, b.issuer_id, b.tags,
              b.created_on, b.updated_on, b.holders_count, b.first_awarded_on, b.last_awarded_on
         FROM assertions a JOIN badges b ON b.id = a.badge_id
        WHERE a.id = $1`,
      [id],
    );
    const r = rows[0];
    if (!r) return null;
    const assertion = Object.assign(new Assertion(), {
      id: r.id as string,
      badgeId: r.badge_id as string,
      personId: r.person_id as number,
      salt: r.salt as string,
      issuedOn: r.issued_on as Date,
      issuedFor: r.issued_for as string | null,
      recipient: r.recipient as string,
    });
    const badge: Badge = {
      id: r.badge_id as string,
      name: r.name as string,
      image: r.image as string,
      stl: r.stl as string | null,
      description: r.description as string,
      criteria: r.criteria as string,
      issuerId: r.issuer_id as number,
      tags: r.tags as string[],
      createdOn: r.created_on as Date,
      updatedOn: r.updated_on as Date,
      holdersCount: r.holders_count as number,
      firstAwardedOn: r.first_awarded_on as Date | null,
      lastAwardedOn: r.last_awarded_on as Date | null,
    };
    return { assertion, badge };
  }

  /** A revoked assertion by its id, for the 410 answer of its Open Badges URL. */
  findRevoked(id: string, m: EntityManager = this.ds.manager): Promise<RevokedAssertion | null> {
    return m.findOneBy(RevokedAssertion, { id });
  }

  /** The id of a badge's assertion with this recipient hash (Tahrir's old assertion URLs). */
  async findIdByRecipient(badgeId: string, recipient: string): Promise<string | null> {
    const rows: { id: string }[] = await this.ds.query(
      `SELECT id FROM assertions WHERE badge_id = $1 AND lower(recipient) = $2 LIMIT 1`,
      [badgeId, recipient],
    );
    return rows[0]?.id ?? null;
  }

  /** Every revoked assertion of an issuer's badges, oldest revocation first. */
  revokedByIssuer(issuerId: number): Promise<RevokedAssertion[]> {
    return this.ds.manager
      .createQueryBuilder(RevokedAssertion, 'r')
      .innerJoin('badges', 'b', 'b.id = r.badge_id')
      .where('b.issuer_id = :issuerId', { issuerId })
      .orderBy('r.revoked_on', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .getMany();
  }

  /** The badges a visible person holds, newest first. */
  async heldBy(nickname: string, req: PageRequest = {}): Promise<Page<HeldBadge>> {
    const person = await this.users.getVisible(nickname);
    const { page, perPage, offset } = pageWindow(req, 500);
    const rows = await this.ds.manager
      .createQueryBuilder(Assertion, 'a')
      .innerJoinAndMapOne('a.badge', 'badges', 'b', 'b.id = a.badge_id')
      .where('a.person_id = :id', { id: person.id })
      .orderBy('a.issued_on', 'DESC')
      .addOrderBy('a.badge_id')
      .offset(offset)
      .limit(perPage)
      .getMany();
    return {
      items: (rows as (Assertion & { badge: Badge })[]).map(({ badge, ...assertion }) => ({
        assertion: assertion as Assertion,
        badge,
      })),
      total: person.badgeCount,
      page,
      perPage,
    };
  }

  /** Who holds a badge (opted-out persons hidden), most recent first or first earners first. */
  async holders(
    badgeId: string,
    req: PageRequest & {
      order?: 'newest' | 'oldest';
      withTotal?: boolean;
      /** The badge when the caller already read it (saves a read). */
      badge?: Badge;
    } = {},
  ): Promise<Page<Holder>> {
    const badge = req.badge?.id === badgeId ? req.badge : await this.badges.get(badgeId);
    const { page, perPage, offset } = pageWindow(req);
    const dir = req.order === 'oldest' ? 'ASC' : 'DESC';
    const rows: {
      person_id: number;
      nickname: string | null;
      email: string;
      avatar: string | null;
      issued_on: Date;
      issued_for: string | null;
    }[] = await this.ds.query(
      `SELECT a.person_id, p.nickname, p.email, p.avatar, a.issued_on, a.issued_for
         FROM assertions a JOIN persons p ON p.id = a.person_id AND NOT p.opt_out
        WHERE a.badge_id = $1
        ORDER BY a.issued_on ${dir}, a.person_id ${dir}
        LIMIT $2 OFFSET $3`,
      [badgeId, perPage, offset],
    );
    const total = req.withTotal === false ? -1 : await this.visibleHoldersCount(badge);
    return {
      items: rows.map((r) => ({
        personId: r.person_id,
        nickname: r.nickname,
        email: r.email,
        avatar: r.avatar,
        issuedOn: r.issued_on,
        issuedFor: r.issued_for,
      })),
      total,
      page,
      perPage,
    };
  }

  /**
   * How many visible people hold a badge: the trigger-kept holders_count less the holders
   * who opted out (a few index probes from the small set of opted-out persons, instead of
   * counting every holder of a popular badge).
   */
  async visibleHoldersCount(badge: Pick<Badge, 'id' | 'holdersCount'>): Promise<number> {
    const [{ hidden }] = await this.ds.query(
      `SELECT count(*)::int AS hidden FROM persons p
         JOIN assertions a ON a.person_id = p.id AND a.badge_id = $1
        WHERE p.opt_out`,
      [badge.id],
    );
    return badge.holdersCount - Number(hidden);
  }

  /**
   * The first and the latest visible earner of each badge (Tahrir's JSON gave both for
   * every badge of a person): two index reads per badge on (badge_id, issued_on).
   */
  async earnersAtEnds(
    badgeIds: string[],
  ): Promise<Map<string, { first: Earner | null; last: Earner | null }>> {
    const result = new Map<string, { first: Earner | null; last: Earner | null }>();
    if (!badgeIds.length) return result;
    const rows: {
      id: string;
      first_nick: string | null;
      first_on: Date | null;
      last_nick: string | null;
      last_on: Date | null;
    }[] = await this.ds.query(
      `SELECT b.id, f.nickname AS first_nick, f.issued_on AS first_on,
              l.nickname AS last_nick, l.issued_on AS last_on
         FROM unnest($1::text[]) AS b(id)
         LEFT JOIN LATERAL (
           SELECT p.nickname, a.issued_on FROM assertions a
             JOIN persons p ON p.id = a.person_id AND NOT p.opt_out
            WHERE a.badge_id = b.id ORDER BY a.issued_on ASC, a.person_id ASC LIMIT 1) f ON true
         LEFT JOIN LATERAL (
           SELECT p.nickname, a.issued_on FROM assertions a
             JOIN persons p ON p.id = a.person_id AND NOT p.opt_out
            WHERE a.badge_id = b.id ORDER BY a.issued_on DESC, a.person_id DESC LIMIT 1) l ON true`,
      [badgeIds],
    );
    for (const r of rows) {
      result.set(r.id, {
        first: r.first_on ? { nickname: r.first_nick, issuedOn: r.first_on } : null,
        last: r.last_on ? { nickname: r.last_nick, issuedOn: r.last_on } : null,
      });
    }
    return result;
  }

  /**
   * Every badge a person holds, newest first (a profile shows them all). Hand-written SQL:
   * TypeORM's hydration of a joined entity was most of a profile's CPU time.
   */
  async allHeldBy(personId: number): Promise<HeldBadge[]> {
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT a.id, a.badge_id, a.person_id, a.salt, a.issued_on, a.issued_for, a.recipient,
              ${badgeColumns('b', 'b_')}
         FROM assertions a JOIN badges b ON b.id = a.badge_id
        WHERE a.person_id = $1
        ORDER BY a.issued_on DESC, a.badge_id`,
      [personId],
    );
    return rows.map((r) => ({
      assertion: Object.assign(new Assertion(), {
        id: r.id as string,
        badgeId: r.badge_id as string,
        personId: Number(r.person_id),
        salt: r.salt as string,
        issuedOn: new Date(r.issued_on as Date),
        issuedFor: (r.issued_for as string | null) ?? null,
        recipient: r.recipient as string,
      }),
      badge: badgeFromRow(r, 'b_'),
    }));
  }

  /**
   * Two visible people side by side: the badges only the first holds, only the second
   * holds, and both hold (each list by badge name).
   */
  async compare(nicknameA: string, nicknameB: string): Promise<Comparison> {
    const [a, b] = await Promise.all([
      this.users.getVisible(nicknameA),
      this.users.getVisible(nicknameB),
    ]);
    const rows: (Record<string, unknown> & { a_has: boolean; b_has: boolean })[] =
      await this.ds.query(
        `SELECT b.id, b.name, b.image, b.description, h.a_has, h.b_has
           FROM (SELECT badge_id, bool_or(person_id = $1) AS a_has, bool_or(person_id = $2) AS b_has
                   FROM assertions WHERE person_id IN ($1, $2) GROUP BY badge_id) h
           JOIN badges b ON b.id = h.badge_id
          ORDER BY b.name`,
        [a.id, b.id],
      );
    const badge = (r: Record<string, unknown>) => ({
      id: r.id as string,
      name: r.name as string,
      image: r.image as string,
      description: r.description as string,
    });
    return {
      a,
      b,
      onlyA: rows.filter((r) => r.a_has && !r.b_has).map(badge),
      onlyB: rows.filter((r) => r.b_has && !r.a_has).map(badge),
      shared: rows.filter((r) => r.a_has && r.b_has).map(badge),
    };
  }

  /** Newest awards across the site (opted-out persons hidden). */
  async latest(
    limit: number,
  ): Promise<(Holder & { badge: Pick<Badge, 'id' | 'name' | 'image'> })[]> {
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT a.person_id, p.nickname, p.email, p.avatar, a.issued_on, a.issued_for,
              b.id AS badge_id, b.name AS badge_name, b.image AS badge_image
         FROM assertions a
         JOIN persons p ON p.id = a.person_id AND NOT p.opt_out
         JOIN badges b ON b.id = a.badge_id
        ORDER BY a.issued_on DESC, a.id LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({
      personId: r.person_id as number,
      nickname: r.nickname as string | null,
      email: r.email as string,
      avatar: r.avatar as string | null,
      issuedOn: r.issued_on as Date,
      issuedFor: r.issued_for as string | null,
      badge: {
        id: r.badge_id as string,
        name: r.badge_name as string,
        image: r.badge_image as string,
      },
    }));
  }
}
