import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { isUniqueViolation } from '../../common/errors/domain-error';
import { type Page, type PageRequest, pageWindow } from '../../common/pagination';
import { slugify } from '../../common/slug';
import { AuditService } from '../auth/audit.service';
import type { Principal } from '../auth/principal';
import { RankingService } from '../users/ranking.service';
import { BadgeArtStore } from './badge-art.store';
import { Badge } from './badge.entity';
import { badgeExists, badgeNotFound, issuerNotFound } from './badges.errors';
import { Issuer } from './issuer.entity';
import { normalizeTags } from './tags';

export interface BadgeFields {
  id?: string;
  name: string;
  image: string;
  description: string;
  criteria: string;
  issuerId: number;
  tags?: string[];
  stl?: string | null;
}

/** Uploaded art (PNG or SVG bytes): stored, and the badge's image set to it. */
export interface BadgeArt {
  art?: Buffer | null;
}

export interface BadgeQuery extends PageRequest {
  q?: string;
  /** Badges carrying any (mode 'any') or all (mode 'all') of these tags. */
  tags?: string[];
  tagMode?: 'any' | 'all';
  sort?: 'name' | 'newest' | 'popular';
}

export interface BadgeDetail {
  badge: Badge;
  issuer: Issuer;
  timesAwarded: number;
  firstAwarded: Date | null;
  lastAwarded: Date | null;
  /** Share of all persons who hold it, in percent (one decimal). */
  percentEarned: number;
}

const ORDER: Record<NonNullable<BadgeQuery['sort']>, [string, 'ASC' | 'DESC'][]> = {
  name: [['b.name', 'ASC']],
  newest: [
    ['b.created_on', 'DESC'],
    ['b.id', 'ASC'],
  ],
  popular: [
    ['b.holders_count', 'DESC'],
    ['b.id', 'ASC'],
  ],
};

/**
 * Badges. A change made by someone (`by`) is audited in its transaction; the rules sync
 * their badges without `by`.
 */
@Injectable()
export class BadgesService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly art: BadgeArtStore,
  ) {}

  find(id: string, m: EntityManager = this.ds.manager): Promise<Badge | null> {
    return m.findOne(Badge, { where: { id } });
  }

  async get(id: string, m: EntityManager = this.ds.manager): Promise<Badge> {
    const badge = await this.find(id, m);
    if (!badge) throw badgeNotFound(id);
    return badge;
  }

  /** The badges with these ids (those that exist), in one read. */
  findMany(ids: readonly string[], m: EntityManager = this.ds.manager): Promise<Badge[]> {
    if (!ids.length) return Promise.resolve([]);
    return m.findBy(Badge, { id: In([...ids]) });
  }

  /** A badge with its issuer and award figures, in one round trip. */
  async detail(id: string): Promise<BadgeDetail> {
    const { entities, raw } = await this.ds.manager
      .createQueryBuilder(Badge, 'b')
      .innerJoinAndMapOne('b.issuer', Issuer, 'i', 'i.id = b.issuer_id')
      .addSelect(RankingService.PERSONS_TOTAL_SQL, 'persons_total')
      .where('b.id = :id', { id })
      .getRawAndEntities();
    const found = entities[0] as (Badge & { issuer: Issuer }) | undefined;
    if (!found) throw badgeNotFound(id);
    const { issuer, ...badge } = found;
    const persons = Number(raw[0].persons_total);
    return {
      badge: badge as Badge,
      issuer,
      timesAwarded: badge.holdersCount,
      firstAwarded: badge.firstAwardedOn,
      lastAwarded: badge.lastAwardedOn,
      percentEarned: persons ? Math.round((badge.holdersCount / persons) * 1000) / 10 : 0,
    };
  }

  /** Search by words of the name or description, filter by tags, paginate. */
  async list(query: BadgeQuery): Promise<Page<Badge>> {
    const { page, perPage, offset } = pageWindow(query);
    const qb = this.ds.manager.createQueryBuilder(Badge, 'b');
    if (query.q?.trim()) {
      qb.andWhere('(b.name ILIKE :q OR b.description ILIKE :q OR b.id ILIKE :q)', {
        q: `%${escapeLike(query.q.trim())}%`,
      });
    }
    const tags = normalizeTags(query.tags);
    if (tags.length) {
      qb.andWhere(query.tagMode === 'all' ? 'b.tags @> :tags' : 'b.tags && :tags', { tags });
    }
    for (const [column, direction] of ORDER[query.sort ?? 'name']) qb.addOrderBy(column, direction);
    qb.offset(offset).limit(perPage);
    const [items, total] = await qb.getManyAndCount();
    return { items, total, page, perPage };
  }

  /** Every badge, by name (the whole collection is a few hundred badges). */
  all(): Promise<Badge[]> {
    return this.ds.manager.find(Badge, { order: { name: 'ASC' } });
  }

  /** Every tag with the number of badges carrying it, most used first. */
  async tags(): Promise<{ tag: string; badges: number }[]> {
    const rows: { tag: string; badges: number }[] = await this.ds.query(
      `SELECT tag, count(*)::int AS badges FROM badges, unnest(tags) AS tag
        GROUP BY tag ORDER BY badges DESC, tag`,
    );
    return rows;
  }

  /** Site-wide figures: how many badges exist and how many awards they add up to. */
  async counts(): Promise<{ badges: number; awards: number }> {
    const [row] = await this.ds.query(
      `SELECT count(*)::int AS badges, coalesce(sum(holders_count), 0)::int AS awards FROM badges`,
    );
    return { badges: Number(row.badges), awards: Number(row.awards) };
  }

  async create(fields: BadgeFields & BadgeArt, m?: EntityManager, by?: Principal): Promise<Badge> {
    if (!m) return this.ds.transaction((tx) => this.create(fields, tx, by));
    const id = fields.id ?? slugify(fields.name);
    // The art is checked before anything is written, and written last, just before commit.
    const artName = fields.art ? this.art.nameFor(id, fields.art) : null;
    await this.requireIssuer(fields.issuerId, m);
    try {
      await m.insert(Badge, {
        id,
        name: fields.name,
        image: artName ?? fields.image,
        description: fields.description,
        criteria: fields.criteria,
        issuerId: fields.issuerId,
        tags: normalizeTags(fields.tags),
        stl: fields.stl ?? null,
      });
    } catch (err) {
      if (isUniqueViolation(err, 'badges_pkey')) throw badgeExists('id', id);
      if (isUniqueViolation(err, 'badges_name_key')) throw badgeExists('name', fields.name);
      throw err;
    }
    const badge = await this.get(id, m);
    await this.audit.recordBy(
      by,
      { action: 'badge.create', subject: id, details: auditDetails(badge, artName) },
      m,
    );
    if (artName) await this.art.write(artName, fields.art!);
    return badge;
  }

  async update(
    id: string,
    fields: Partial<Omit<BadgeFields, 'id'>> & BadgeArt,
    m?: EntityManager,
    by?: Principal,
  ): Promise<Badge> {
    if (!m) return this.ds.transaction((tx) => this.update(id, fields, tx, by));
    const artName = fields.art ? this.art.nameFor(id, fields.art) : null;
    await this.get(id, m);
    if (fields.issuerId !== undefined) await this.requireIssuer(fields.issuerId, m);
    const changes: Partial<Badge> = { updatedOn: new Date() };
    for (const key of ['name', 'image', 'description', 'criteria', 'issuerId', 'stl'] as const) {
      if (fields[key] !== undefined) (changes as Record<string, unknown>)[key] = fields[key];
    }
    if (artName) changes.image = artName;
    if (fields.tags !== undefined) changes.tags = normalizeTags(fields.tags);
    try {
      await m.update(Badge, { id }, changes);
    } catch (err) {
      if (isUniqueViolation(err, 'badges_name_key')) throw badgeExists('name', fields.name ?? '');
      throw err;
    }
    const badge = await this.get(id, m);
    await this.audit.recordBy(
      by,
      { action: 'badge.update', subject: id, details: auditDetails(changes, artName) },
      m,
    );
    if (artName) await this.art.write(artName, fields.art!);
    return badge;
  }

  /** Deletes the badge with its awards, milestones and authorizations. */
  async remove(id: string, by?: Principal): Promise<void> {
    await this.ds.transaction(async (m) => {
      const result = await m.delete(Badge, { id });
      if (!result.affected) throw badgeNotFound(id);
      await this.audit.recordBy(by, { action: 'badge.delete', subject: id }, m);
    });
  }

  private async requireIssuer(id: number, m: EntityManager): Promise<void> {
    if (!(await m.exists(Issuer, { where: { id } }))) throw issuerNotFound(id);
  }
}

/** What an audit entry says about a badge change (the fields set, not derived figures). */
function auditDetails(b: Partial<Badge>, artName: string | null): Record<string, unknown> {
  const { name, image, description, criteria, issuerId, tags } = b;
  return { name, image, description, criteria, issuerId, tags, uploadedArt: artName ?? undefined };
}

/** Escapes the wildcards of a LIKE pattern. */
function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
