import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Badge } from '../badges/badge.entity';
import { UsersService } from '../users/users.service';

export interface Progress {
  badge: Pick<Badge, 'id' | 'name' | 'image' | 'description'>;
  value: number;
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
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT cv.value, cv.last_update, b.id, b.name, b.image, b.description
         FROM current_values cv JOIN badges b ON b.id = cv.badge_id
        WHERE cv.person_id = $1
          AND NOT EXISTS (SELECT 1 FROM assertions a WHERE a.badge_id = cv.badge_id AND a.person_id = cv.person_id)
        ORDER BY cv.last_update DESC`,
      [person.id],
    );
    return rows.map((r) => ({
      badge: {
        id: r.id as string,
        name: r.name as string,
        image: r.image as string,
        description: r.description as string,
      },
      value: Number(r.value),
      lastUpdate: r.last_update as Date,
    }));
  }

  /** Records a progress value (the rules engine calls this in its transaction). */
  async record(
    badgeId: string,
    personId: number,
    value: number,
    m: EntityManager = this.ds.manager,
  ): Promise<void> {
    await m.query(
      `INSERT INTO current_values (badge_id, person_id, value, last_update) VALUES ($1, $2, $3, now())
       ON CONFLICT (badge_id, person_id) DO UPDATE SET value = excluded.value, last_update = excluded.last_update`,
      [badgeId, personId, value],
    );
  }
}
