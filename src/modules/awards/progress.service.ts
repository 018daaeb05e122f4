import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Badge } from '../badges/badge.entity';
import { UsersService } from '../users/users.service';

export interface Progress {
  badge: Pick<Badge, 'id' | 'name' | 'image' | 'description'>;
  value: number;
  /** The value that earns the badge, when the rule that records progress knows it. */
  target: number | null;
  lastUpdate: Date;
}

/** Progress values: how far a person is towards badges they do not hold yet. */
@Injectable()
export class ProgressService {
  constructor(
    private readonly ds: DataSource,
    private readonly users: UsersService,
  ) {}

  async of(nickname: string): Promise<Progress[]> {
    const person = await this.users.getVisible(nickname);
    return this.ofPerson(person.id);
  }

  /** Progress of a person the caller already looked up (and may show). */
  async ofPerson(personId: number): Promise<Progress[]> {
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT cv.value, cv.target, cv.last_update, b.id, b.name, b.image, b.description
         FROM current_values cv JOIN badges b ON b.id = cv.badge_id
        WHERE cv.person_id = $1
          AND NOT EXISTS (SELECT 1 FROM assertions a WHERE a.badge_id = cv.badge_id AND a.person_id = cv.person_id)
        ORDER BY cv.last_update DESC`,
      [personId],
    );
    return rows.map((r) => ({
      badge: {
        id: r.id as string,
        name: r.name as string,
        image: r.image as string,
        description: r.description as string,
      },
      value: Number(r.value),
      target: r.target === null || r.target === undefined ? null : Number(r.target),
      lastUpdate: r.last_update as Date,
    }));
  }

  /**
   * Records progress values in one statement (the rules, once per transaction); a
   * person's later value for the same badge replaces the earlier one.
   */
  async recordMany(
    values: readonly { badgeId: string; personId: number; value: number; target: number | null }[],
    m: EntityManager = this.ds.manager,
  ): Promise<void> {
    if (!values.length) return;
    const last = new Map(values.map((v) => [`${v.badgeId}\u0000${v.personId}`, v]));
    const rows = [...last.values()].sort(
      (a, b) => a.badgeId.localeCompare(b.badgeId) || a.personId - b.personId,
    );
    await m.query(
      `INSERT INTO current_values (badge_id, person_id, value, target, last_update)
       SELECT b, p, v, t, now() FROM unnest($1::varchar[], $2::int[], $3::int[], $4::int[]) AS u(b, p, v, t)
       ON CONFLICT (badge_id, person_id) DO UPDATE
         SET value = excluded.value, target = coalesce(excluded.target, current_values.target),
             last_update = excluded.last_update`,
      [
        rows.map((r) => r.badgeId),
        rows.map((r) => r.personId),
        rows.map((r) => r.value),
        rows.map((r) => r.target),
      ],
    );
  }

  /**
   * Records one progress value (the demo seeder; the rules use recordMany), with the
   * target that earns the badge when the rule knows it (pages then show "37 of 40").
   */
  async record(
    badgeId: string,
    personId: number,
    value: number,
    m: EntityManager = this.ds.manager,
    target: number | null = null,
  ): Promise<void> {
    await m.query(
      `INSERT INTO current_values (badge_id, person_id, value, target, last_update) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (badge_id, person_id) DO UPDATE
         SET value = excluded.value, target = coalesce(excluded.target, current_values.target),
             last_update = excluded.last_update`,
      [badgeId, personId, value, target],
    );
  }
}
