import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { createDataSource, migrate } from '../../src/database/data-source';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres';
import { PG_ADMIN_URL, withDatabase } from './services';

const ROOT = join(__dirname, '..', '..');
export const TEST_STATE_DIR = join(ROOT, '.accolades-test');

/** A fingerprint of the schema: templates are rebuilt whenever a migration changes. */
export function schemaHash(): string {
  const dir = join(ROOT, 'migrations');
  const h = createHash('sha256');
  for (const f of readdirSync(dir).sort()) h.update(f).update(readFileSync(join(dir, f)));
  return h.digest('hex').slice(0, 12);
}

export const pgTemplateName = () => `accolades_tmpl_${schemaHash()}`;
export const pgliteTemplateDir = () => join(TEST_STATE_DIR, `pglite-${schemaHash()}`);

/**
 * A migrated PostgreSQL database that every test database is cloned from (CREATE DATABASE
 * ... TEMPLATE is much faster than migrating each time). Built once per schema version.
 */
export async function ensurePgTemplate(): Promise<string> {
  const name = pgTemplateName();
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    // Parallel runs (several checkouts) build the template one at a time.
    await admin.query('SELECT pg_advisory_lock(4242018)');
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      const building = `${name}_building`;
      await admin.query(`DROP DATABASE IF EXISTS ${building}`);
      await admin.query(`CREATE DATABASE ${building}`);
      const ds = createDataSource({ url: withDatabase(PG_ADMIN_URL, building), poolSize: 2 });
      await ds.initialize();
      try {
        await migrate(ds, { lock: false });
      } finally {
        await ds.destroy();
      }
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
    }
    await admin.query('SELECT pg_advisory_unlock(4242018)');
  } finally {
    await admin.end();
  }
  return name;
}

/** A migrated PGlite data directory that test data directories are copied from. */
export async function ensurePgliteTemplate(): Promise<string> {
  const dir = pgliteTemplateDir();
  if (existsSync(join(dir, 'pglite', 'PG_VERSION'))) return dir;
  const building = `${dir}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const pg = await EmbeddedPostgres.start(building);
  const ds = createDataSource({ url: pg.url, poolSize: 1 });
  try {
    await ds.initialize();
    await migrate(ds, { lock: false });
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await pg.stop();
  }
  if (!existsSync(join(dir, 'pglite', 'PG_VERSION'))) {
    rmSync(dir, { recursive: true, force: true });
    renameSync(building, dir);
  } else {
    rmSync(building, { recursive: true, force: true });
  }
  return dir;
}

/** A fresh copy of the PGlite template in its own directory. */
export function copyPgliteTemplate(target: string): void {
  mkdirSync(target, { recursive: true });
  cpSync(join(pgliteTemplateDir(), 'pglite'), join(target, 'pglite'), { recursive: true });
}
