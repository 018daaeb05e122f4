import { DataSource } from 'typeorm';
import type { DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations';
import { entities } from './entities';

export interface DataSourceSettings {
  url: string;
  /** 1 for the embedded database (see EmbeddedPostgres), more for a PostgreSQL server. */
  poolSize: number;
  applicationName?: string;
}

/** TypeORM options shared by the service, the CLI, the tests and the benchmarks. */
export function dataSourceOptions(s: DataSourceSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: s.url,
    entities,
    migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    applicationName: s.applicationName ?? 'accolades',
    extra: {
      max: s.poolSize,
      // Never close the embedded database's only connection behind its back.
      idleTimeoutMillis: s.poolSize === 1 ? 0 : 30_000,
      connectionTimeoutMillis: 10_000,
    },
  };
}

export function createDataSource(s: DataSourceSettings): DataSource {
  return new DataSource(dataSourceOptions(s));
}

// Any constant shared by every replica: they take this lock before migrating.
const MIGRATION_LOCK_KEY = 4_242_017;

/**
 * Applies pending migrations. With several replicas on one PostgreSQL they start at once:
 * an advisory lock on its own connection makes them migrate one after the other. The
 * embedded database has one connection and one process, so it needs no lock.
 */
export async function migrate(ds: DataSource, opts: { lock: boolean }): Promise<string[]> {
  if (!opts.lock) {
    return (await ds.runMigrations({ transaction: 'each' })).map((m) => m.name);
  }
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return (await ds.runMigrations({ transaction: 'each' })).map((m) => m.name);
  } finally {
    await runner
      .query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
      .catch(() => undefined);
    await runner.release();
  }
}
