import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { isUniqueViolation } from '../../common/errors/domain-error';
import { slugify } from '../../common/slug';
import { AuditService } from '../auth/audit.service';
import type { Principal } from '../auth/principal';
import { Badge, badgeColumns, badgeFromRow } from './badge.entity';
import {
  badgeNotFound,
  milestoneExists,
  milestoneNotFound,
  seriesExists,
  seriesNotFound,
  teamNotFound,
} from './badges.errors';
import { Milestone } from './milestone.entity';
import { Series } from './series.entity';
import { normalizeTags } from './tags';
import { Team } from './team.entity';

export interface SeriesFields {
  id?: string;
  name: string;
  description: string;
  tags?: string[];
  teamId?: string | null;
}

export interface SeriesStep {
  position: number | null;
  badge: Badge;
}

export interface SeriesDetail {
  series: Series;
  team: Team | null;
  steps: SeriesStep[];
}

/** Series (ladders) and their milestones; changes made by someone (`by`) are audited. */
@Injectable()
export class SeriesService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<(Series & { badgeCount: number })[]> {
    const rows: { id: string; badge_count: number }[] = await this.ds.query(
      `SELECT series_id AS id, count(*)::int AS badge_count FROM milestones GROUP BY series_id`,
    );
    const counts = new Map(rows.map((r) => [r.id, r.badge_count]));
    const series = await this.ds.manager.find(Series, { order: { name: 'ASC' } });
    return series.map((s) => Object.assign(s, { badgeCount: counts.get(s.id) ?? 0 }));
  }

  async get(id: string, m: EntityManager = this.ds.manager): Promise<Series> {
    const series = await m.findOne(Series, { where: { id } });
    if (!series) throw seriesNotFound(id);
    return series;
  }

  /** The series with its badges in ladder order. */
  async detail(id: string): Promise<SeriesDetail> {
    const series = await this.get(id);
    const team = series.teamId
      ? await this.ds.manager.findOne(Team, { where: { id: series.teamId } })
      : null;
    return { series, team, steps: await this.steps([id]).then((s) => s.get(id) ?? []) };
  }

  /** Ladder steps of several series at once (position order, unpositioned last). */
  async steps(seriesIds: string[]): Promise<Map<string, SeriesStep[]>> {
    const result = new Map<string, SeriesStep[]>();
    if (!seriesIds.length) return result;
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT m.series_id, m.position, ${badgeColumns('b', 'b_')}
         FROM milestones m JOIN badges b ON b.id = m.badge_id
        WHERE m.series_id = ANY($1)
        ORDER BY m.series_id, m.position ASC NULLS LAST, b.name`,
      [seriesIds],
    );
    for (const row of rows) {
      const seriesId = row.series_id as string;
      const list = result.get(seriesId) ?? [];
      list.push({
        position: row.position === null ? null : Number(row.position),
        badge: badgeFromRow(row, 'b_'),
      });
      result.set(seriesId, list);
    }
    return result;
  }

  /** Every ladder holding any of these badges, with all its steps, by series name. */
  async laddersOf(badgeIds: string[]): Promise<SeriesDetail[]> {
    if (!badgeIds.length) return [];
    const ids: { series_id: string }[] = await this.ds.query(
      `SELECT DISTINCT series_id FROM milestones WHERE badge_id = ANY($1)`,
      [badgeIds],
    );
    if (!ids.length) return [];
    const seriesIds = ids.map((r) => r.series_id);
    const [series, steps] = await Promise.all([
      this.ds.manager
        .createQueryBuilder(Series, 's')
        .where('s.id IN (:...ids)', { ids: seriesIds })
        .orderBy('s.name')
        .getMany(),
      this.steps(seriesIds),
    ]);
    return series.map((s) => ({ series: s, team: null, steps: steps.get(s.id) ?? [] }));
  }

  /** The series a badge belongs to (a badge may sit in several ladders). */
  async seriesOfBadge(badgeId: string): Promise<string[]> {
    const rows = await this.ds.manager.find(Milestone, { where: { badgeId } });
    return rows.map((r) => r.seriesId);
  }

  async create(fields: SeriesFields, m?: EntityManager, by?: Principal): Promise<Series> {
    if (!m) return this.ds.transaction((tx) => this.create(fields, tx, by));
    const id = fields.id ?? slugify(fields.name);
    if (fields.teamId) await this.requireTeam(fields.teamId, m);
    try {
      await m.insert(Series, {
        id,
        name: fields.name,
        description: fields.description,
        tags: normalizeTags(fields.tags),
        teamId: fields.teamId ?? null,
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw seriesExists(isUniqueViolation(err, 'series_pkey') ? id : fields.name);
      throw err;
    }
    const series = await this.get(id, m);
    await this.audit.recordBy(
      by,
      { action: 'series.create', subject: id, details: { ...fields, id } },
      m,
    );
    return series;
  }

  async update(
    id: string,
    fields: Partial<Omit<SeriesFields, 'id'>>,
    by?: Principal,
  ): Promise<Series> {
    return this.ds.transaction(async (m) => {
      await this.get(id, m);
      if (fields.teamId) await this.requireTeam(fields.teamId, m);
      const changes: Partial<Series> = { lastUpdated: new Date() };
      if (fields.name !== undefined) changes.name = fields.name;
      if (fields.description !== undefined) changes.description = fields.description;
      if (fields.tags !== undefined) changes.tags = normalizeTags(fields.tags);
      if (fields.teamId !== undefined) changes.teamId = fields.teamId;
      try {
        await m.update(Series, { id }, changes);
      } catch (err) {
        if (isUniqueViolation(err)) throw seriesExists(fields.name ?? id);
        throw err;
      }
      await this.audit.recordBy(
        by,
        { action: 'series.update', subject: id, details: { ...fields } },
        m,
      );
      return this.get(id, m);
    });
  }

  async remove(id: string, by?: Principal): Promise<void> {
    await this.ds.transaction(async (m) => {
      const result = await m.delete(Series, { id });
      if (!result.affected) throw seriesNotFound(id);
      await this.audit.recordBy(by, { action: 'series.delete', subject: id }, m);
    });
  }

  /** Puts a badge in a series at a position (or moves it there). */
  async setMilestone(
    seriesId: string,
    badgeId: string,
    position: number | null,
    upsert = false,
    m?: EntityManager,
    by?: Principal,
  ): Promise<Milestone> {
    if (!m) {
      return this.ds.transaction((tx) =>
        this.setMilestone(seriesId, badgeId, position, upsert, tx, by),
      );
    }
    await this.get(seriesId, m);
    if (!(await m.exists(Badge, { where: { id: badgeId } }))) throw badgeNotFound(badgeId);
    const existing = await m.findOne(Milestone, { where: { seriesId, badgeId } });
    if (existing && !upsert) throw milestoneExists(seriesId, badgeId);
    let milestone: Milestone;
    if (existing) {
      await m.update(Milestone, { id: existing.id }, { position });
      milestone = { ...existing, position };
    } else {
      try {
        milestone = await m.save(m.create(Milestone, { seriesId, badgeId, position }));
      } catch (err) {
        if (isUniqueViolation(err)) throw milestoneExists(seriesId, badgeId);
        throw err;
      }
    }
    await this.audit.recordBy(
      by,
      {
        action: 'milestone.set',
        subject: `${seriesId}/${badgeId}`,
        details: { position, previous: existing ? existing.position : undefined },
      },
      m,
    );
    return milestone;
  }

  async removeMilestone(seriesId: string, badgeId: string, by?: Principal): Promise<void> {
    await this.ds.transaction(async (m) => {
      const result = await m.delete(Milestone, { seriesId, badgeId });
      if (!result.affected) throw milestoneNotFound(seriesId, badgeId);
      await this.audit.recordBy(
        by,
        { action: 'milestone.remove', subject: `${seriesId}/${badgeId}` },
        m,
      );
    });
  }

  listTeams(): Promise<Team[]> {
    return this.ds.manager.find(Team, { order: { name: 'ASC' } });
  }

  async createTeam(name: string, id = slugify(name)): Promise<Team> {
    await this.ds.manager.query(
      `INSERT INTO teams (id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [id, name],
    );
    return this.requireTeam(id);
  }

  private async requireTeam(id: string, m: EntityManager = this.ds.manager): Promise<Team> {
    const team = await m.findOne(Team, { where: { id } });
    if (!team) throw teamNotFound(id);
    return team;
  }
}
