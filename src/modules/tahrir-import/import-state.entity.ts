import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The import's provenance and sync state (see migrations/1764200000000-TahrirImport.ts).
 * The importer reads and writes these tables in bulk with SQL; the entities give the rest
 * of the code typed access (the run history, an operator's questions).
 */
@Entity({ name: 'tahrir_import_rows' })
export class TahrirImportRow {
  @PrimaryColumn({ name: 'source_table', type: 'varchar' })
  sourceTable: string;

  @PrimaryColumn({ name: 'source_key', type: 'text' })
  sourceKey: string;

  @Column({ type: 'integer' })
  bucket: number;

  /** hashtext() of the key, computed on Tahrir (null: recorded by an earlier version). */
  @Column({ name: 'key_hash', type: 'integer', nullable: true })
  keyHash: number | null;

  /** bigint: pg returns it as a string. */
  @Column({ name: 'source_hash', type: 'bigint' })
  sourceHash: string;

  @Column({ name: 'target_hash', type: 'bigint', nullable: true })
  targetHash: string | null;

  @Column({ type: 'varchar' })
  status: 'imported' | 'orphan' | 'duplicate' | 'local';

  @Column({ type: 'text', nullable: true })
  detail: string | null;
}

@Entity({ name: 'tahrir_import_buckets' })
export class TahrirImportBucket {
  @PrimaryColumn({ name: 'source_table', type: 'varchar' })
  sourceTable: string;

  @PrimaryColumn({ type: 'integer' })
  bucket: number;

  @Column({ type: 'integer' })
  rows: number;

  @Column({ type: 'numeric' })
  hash: string;

  /** XOR of hashtext() of the bucket's keys, computed on Tahrir (null: not known yet). */
  @Column({ name: 'key_xor', type: 'integer', nullable: true })
  keyXor: number | null;
}

@Entity({ name: 'tahrir_import_tables' })
export class TahrirImportTable {
  @PrimaryColumn({ name: 'source_table', type: 'varchar' })
  sourceTable: string;

  @Column({ type: 'integer' })
  buckets: number;

  @Column({ name: 'derived_stale', type: 'boolean', default: false })
  derivedStale: boolean;

  /** The PostgreSQL system and database last synced from (see xid-changes.ts). */
  @Column({ name: 'source_system', type: 'text', nullable: true })
  sourceSystem: string | null;

  /** That run's snapshot xmin, a 64-bit transaction id (bigint: a string). */
  @Column({ name: 'source_xmin', type: 'bigint', nullable: true })
  sourceXmin: string | null;
}

@Entity({ name: 'tahrir_import_runs' })
export class TahrirImportRun {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'started_on', type: 'timestamptz', default: () => 'now()' })
  startedOn: Date;

  @Column({ name: 'finished_on', type: 'timestamptz', nullable: true })
  finishedOn: Date | null;

  /** The source URL without its password. */
  @Column({ type: 'text' })
  source: string;

  @Column({ type: 'varchar', default: 'running' })
  status: 'running' | 'succeeded' | 'failed';

  @Column({ type: 'jsonb', nullable: true })
  summary: unknown;
}
