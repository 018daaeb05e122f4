import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Provenance and sync state of `accolades import tahrir`:
 * - tahrir_import_rows: every source row seen, by Tahrir table and key, with the hash of
 *   the source row (what was read) and of the target row as the import wrote it (to tell
 *   an edit made in Accolades from one made in Tahrir), and its status: imported, or
 *   skipped as orphan (badge or person gone), duplicate (same award twice in Tahrir) or
 *   local (Accolades holds that row already, or changed it since: never overwritten).
 *   Target rows without an imported row here were created in Accolades.
 * - tahrir_import_buckets: per table, the row count and hash sum of each bucket of source
 *   keys at the last run: a catch-up run compares them with the source's and re-reads only
 *   the buckets that differ.
 * - tahrir_import_tables: bucket count per table, and whether the derived figures still
 *   need a rebuild after a bulk load with the triggers off.
 * - tahrir_import_runs: one row per run with its summary.
 */
export class TahrirImport1764200000000 implements MigrationInterface {
  name = 'TahrirImport1764200000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tahrir_import_rows (
        source_table varchar(32) NOT NULL,
        source_key text NOT NULL,
        bucket integer NOT NULL,
        source_hash bigint NOT NULL,
        target_hash bigint,
        status varchar(16) NOT NULL
          CHECK (status IN ('imported', 'orphan', 'duplicate', 'local')),
        detail text,
        CONSTRAINT tahrir_import_rows_pkey PRIMARY KEY (source_table, source_key)
      )`);
    await q.query(
      `CREATE INDEX tahrir_import_rows_bucket_idx ON tahrir_import_rows (source_table, bucket)`,
    );
    // Skipped rows (few) are retried and counted on every run: find them without a scan.
    await q.query(`
      CREATE INDEX tahrir_import_rows_skipped_idx ON tahrir_import_rows (source_table, status, bucket)
      WHERE status <> 'imported'`);

    await q.query(`
      CREATE TABLE tahrir_import_buckets (
        source_table varchar(32) NOT NULL,
        bucket integer NOT NULL,
        rows integer NOT NULL,
        hash numeric NOT NULL,
        PRIMARY KEY (source_table, bucket)
      )`);

    await q.query(`
      CREATE TABLE tahrir_import_tables (
        source_table varchar(32) PRIMARY KEY,
        buckets integer NOT NULL CHECK (buckets > 0 AND buckets & (buckets - 1) = 0),
        derived_stale boolean NOT NULL DEFAULT false
      )`);

    await q.query(`
      CREATE TABLE tahrir_import_runs (
        id serial PRIMARY KEY,
        started_on timestamptz NOT NULL DEFAULT now(),
        finished_on timestamptz,
        source text NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'running'
          CHECK (status IN ('running', 'succeeded', 'failed')),
        summary jsonb
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'tahrir_import_runs',
      'tahrir_import_tables',
      'tahrir_import_buckets',
      'tahrir_import_rows',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
