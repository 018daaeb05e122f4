import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import {
  type ImportOptions,
  TahrirImportService,
} from '../../src/modules/tahrir-import/tahrir-import.service';
import { TahrirVerifyService } from '../../src/modules/tahrir-import/tahrir-verify.service';
import type { TestApp } from './test-app';

/** The importer on a test app's database (COPY FROM only where the target takes it). */
export function importer(t: TestApp): TahrirImportService {
  return new TahrirImportService(t.dataSource, { canCopyIn: t.db.kind === 'postgres' });
}

export function verifier(t: TestApp): TahrirVerifyService {
  return new TahrirVerifyService(t.dataSource, { canCopyIn: t.db.kind === 'postgres' });
}

export function runImport(t: TestApp, sourceUrl: string, opts: ImportOptions = {}) {
  return importer(t).run(sourceUrl, opts);
}

/** One query on a Tahrir database. */
export async function onSource<R extends object = Record<string, unknown>>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<R[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`SET TimeZone = 'UTC'`);
    return (await c.query<R>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

/** Tables the import writes, Accolades' side. */
export const TARGET_TABLES = [
  'issuers',
  'badges',
  'teams',
  'series',
  'milestones',
  'persons',
  'assertions',
  'authorizations',
  'invitations',
  'current_values',
  'person_levels',
  'award_tallies',
  'tahrir_import_rows',
  'tahrir_import_buckets',
  'tahrir_import_tables',
];

/**
 * A fingerprint of every table the import touches (content, not physical order): equal
 * fingerprints mean the run wrote nothing that stayed.
 */
export async function targetFingerprint(ds: DataSource): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of TARGET_TABLES) {
    // source_xmin says where the next run starts looking: every run moves it on.
    const value =
      table === 'tahrir_import_tables'
        ? `ROW(t.source_table, t.buckets, t.derived_stale, t.source_system)::text`
        : 't::text';
    const [row] = await ds.query(
      `SELECT count(*)::int AS n, coalesce(md5(string_agg(${value}, '|' ORDER BY ${value} COLLATE "C")), '') AS h FROM ${table} t`,
    );
    out[table] = `${row.n}:${row.h}`;
  }
  return out;
}

/** Derived figures as kept by the triggers (or a rebuild), comparable. */
export async function derivedFigures(ds: DataSource) {
  return {
    persons: await ds.query(`SELECT id, badge_count FROM persons ORDER BY id`),
    badges: await ds.query(
      `SELECT id, holders_count, first_awarded_on, last_awarded_on FROM badges ORDER BY id`,
    ),
    levels: await ds.query(
      `SELECT opted_out, badge_count, persons FROM person_levels WHERE persons <> 0 ORDER BY 1, 2`,
    ),
    tallies: await ds.query(
      `SELECT period, period_start::text, person_id, awards FROM award_tallies ORDER BY 1, 2, 3`,
    ),
  };
}
