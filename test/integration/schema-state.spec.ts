import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migrationsApplied } from '../../src/database/schema-state';
import { PG_ADMIN_URL, requirePostgres, withDatabase } from '../support/services';
import { createTestDatabase } from '../support/test-database';

/**
 * The import command uses a plain connection only on a database that has every migration
 * (and opens it through TypeORM, migrating it, otherwise): that check, on PostgreSQL.
 */
describe('migrationsApplied', () => {
  beforeAll(() => requirePostgres());

  async function on<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  }

  it('says no for an empty database and for one migration missing, yes for a migrated one', async () => {
    const name = `accolades_t_empty_${randomBytes(4).toString('hex')}`;
    await on(PG_ADMIN_URL, (c) => c.query(`CREATE DATABASE ${name}`));
    try {
      expect(await on(withDatabase(PG_ADMIN_URL, name), migrationsApplied)).toBe(false);
    } finally {
      await on(PG_ADMIN_URL, (c) => c.query(`DROP DATABASE ${name} WITH (FORCE)`));
    }

    const db = await createTestDatabase('postgres');
    try {
      expect(await on(db.url!, migrationsApplied)).toBe(true);
      await on(db.url!, (c) =>
        c.query(`DELETE FROM migrations WHERE id = (SELECT max(id) FROM migrations)`),
      );
      expect(await on(db.url!, migrationsApplied)).toBe(false);
    } finally {
      await db.drop();
    }
  });
});
