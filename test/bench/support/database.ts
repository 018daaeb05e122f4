import { Client } from 'pg';
import { createDataSource, migrate } from '../../../src/database/data-source';

export const BENCH_PG =
  process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(name: string): string {
  const u = new URL(BENCH_PG);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A new, migrated, empty database (dropped first if it exists). */
export async function freshDatabase(name: string): Promise<string> {
  const admin = new Client({ connectionString: BENCH_PG });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(name);
  const ds = createDataSource({ url, poolSize: 2 });
  await ds.initialize();
  try {
    await migrate(ds, { lock: false });
  } finally {
    await ds.destroy();
  }
  return url;
}
