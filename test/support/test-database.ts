import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { PG_ADMIN_URL, withDatabase } from './services';
import { copyPgliteTemplate, pgTemplateName } from './templates';

export type TestDbKind = 'postgres' | 'pglite';

/** Which database this Jest project runs on (see jest.config.js). */
export function testDbKind(): TestDbKind {
  const kind = (globalThis as { ACCOLADES_TEST_DB?: string }).ACCOLADES_TEST_DB ?? 'postgres';
  if (kind !== 'postgres' && kind !== 'pglite') throw new Error(`Unknown test database ${kind}`);
  return kind;
}

export interface TestDatabase {
  kind: TestDbKind;
  /** Environment entries that point the service at this database. */
  env: Record<string, string>;
  /** A URL for direct queries (PostgreSQL only; the embedded one has a single connection). */
  url: string | null;
  drop(): Promise<void>;
}

/** A new, migrated, empty database of the given kind, private to the caller. */
export async function createTestDatabase(kind: TestDbKind = testDbKind()): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'accolades-test-'));
    copyPgliteTemplate(dir);
    return {
      kind,
      env: { ACCOLADES_DATA_DIR: dir, DATABASE_URL: '' },
      url: null,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const run = process.env.ACCOLADES_TEST_RUN ?? 'adhoc';
  const name = `accolades_t_${run}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${pgTemplateName()}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(PG_ADMIN_URL, name);
  return {
    kind,
    env: { DATABASE_URL: url },
    url,
    drop: async () => {
      const c = new Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
