import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where a Tahrir table was last synced, in Tahrir's own terms, so a catch-up can find the
 * rows written since by their transaction ids instead of hashing every row
 * (src/modules/tahrir-import/xid-changes.ts):
 * - source_system: which PostgreSQL cluster and database the rows came from (a restored
 *   dump or another server has other transaction ids: the next run compares hashes);
 * - source_xmin: the oldest transaction still running when that run's snapshot was taken;
 * - tahrir_import_buckets.key_xor: the XOR of hashtext() of the bucket's keys (computed on
 *   Tahrir), which gives the hash of a lone deleted row's key (null: not known yet);
 * - tahrir_import_rows.key_hash: hashtext() of the row's key as Tahrir computes it, indexed,
 *   which turns that hash back into the key (null: recorded by an earlier version).
 */
export class TahrirImportXids1764800000000 implements MigrationInterface {
  name = 'TahrirImportXids1764800000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tahrir_import_tables ADD COLUMN source_system text`);
    await q.query(`ALTER TABLE tahrir_import_tables ADD COLUMN source_xmin bigint`);
    await q.query(`ALTER TABLE tahrir_import_buckets ADD COLUMN key_xor integer`);
    await q.query(`ALTER TABLE tahrir_import_rows ADD COLUMN key_hash integer`);
    await q.query(
      `CREATE INDEX tahrir_import_rows_key_hash_idx ON tahrir_import_rows (source_table, key_hash)`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tahrir_import_rows DROP COLUMN key_hash`);
    await q.query(`ALTER TABLE tahrir_import_buckets DROP COLUMN key_xor`);
    await q.query(`ALTER TABLE tahrir_import_tables DROP COLUMN source_xmin`);
    await q.query(`ALTER TABLE tahrir_import_tables DROP COLUMN source_system`);
  }
}
