import type { ClientBase } from 'pg';
import { migrations } from '../../migrations';

/**
 * Whether a database has every migration of this build applied, asked without loading
 * TypeORM (a quarter of a second at start-up): commands that only read and write rows can
 * then use a plain connection, and migrate through TypeORM only when this says no.
 */
export async function migrationsApplied(client: ClientBase): Promise<boolean> {
  const { rows } = await client.query<{ present: boolean }>(
    `SELECT to_regclass('migrations') IS NOT NULL AS present`,
  );
  if (!rows[0].present) return false;
  const { rows: done } = await client.query<{ name: string }>('SELECT name FROM migrations');
  const applied = new Set(done.map((r) => r.name));
  return migrations.every((m) => applied.has(new m().name));
}
