import { Readable } from 'node:stream';
import type { ImportProgress } from './import-progress';
import {
  RETRY_ROWS,
  retryCandidatesSql,
  retryRowsTable,
  retrySql,
  skippedBecause,
} from './skipped-rows';
import type { SourceDb, SourceMarks } from './source-db';
import type { ImportConflict } from './tahrir-import.errors';
import { childrenOf, ownedColumns, pkEquals, type TableSpec, targetHashSql } from './tahrir-tables';
import type { TargetDb } from './target-db';
import {
  comparableXmin,
  findDeletions,
  FRESH_ROWS,
  GONE_ROWS,
  SRC_CELLS,
  updatedBucketsSql,
  xidQuery,
  xidRunTables,
  type XidState,
} from './xid-changes';

/** What the run did to one table. */
export interface TableSummary {
  table: string;
  /** Rows in Tahrir at the snapshot. */
  sourceRows: number;
  /** Rows read again because their bucket changed (all of them the first time). */
  read: number;
  inserted: number;
  updated: number;
  deleted: number;
  /** Rows newly skipped by this run (orphans, duplicates, facts Accolades holds already). */
  skipped: number;
  /** Changes not applied because the row was changed or is used in Accolades. */
  kept: number;
  /** Rows of this table skipped so far, by reason. */
  skippedTotal: Record<'orphan' | 'duplicate' | 'local', number>;
  /**
   * How the changed rows were found: every row read (`all`), per-bucket hashes compared
   * (`hashes`), or transaction ids and counts (`xids`, see xid-changes.ts).
   */
  changesBy: ChangeMethod;
}

export type ChangeMethod = 'all' | 'hashes' | 'xids';

export interface SkippedRow {
  table: string;
  key: string;
  status: string;
  detail: string | null;
}

export interface State extends XidState {
  buckets: number;
  derivedStale: boolean;
}

/**
 * Temporary tables of a run (see createRunTables): the source's bucket hashes, and the
 * buckets whose content changed since the last run.
 */
export const SRC_BUCKETS = 'tahrir_src_buckets';
export const CHANGED = 'tahrir_changed_buckets';
/** Rows as read, before the merge with what earlier runs recorded. */
const RAW = 'tahrir_read_rows';

export async function createRunTables(target: TargetDb): Promise<void> {
  await dropRunTables(target);
  await target.query(`
    CREATE TEMP TABLE ${SRC_BUCKETS} (
      tbl text NOT NULL, bucket integer NOT NULL, rows integer NOT NULL, hash numeric NOT NULL,
      key_xor integer, PRIMARY KEY (tbl, bucket))`);
  await target.query(
    `CREATE TEMP TABLE ${CHANGED} (tbl text NOT NULL, bucket integer NOT NULL, PRIMARY KEY (tbl, bucket))`,
  );
  for (const sql of xidRunTables) await target.query(sql);
  await target.query(retryRowsTable);
}

export async function dropRunTables(target: TargetDb): Promise<void> {
  await target.query(
    `DROP TABLE IF EXISTS ${SRC_BUCKETS}, ${CHANGED}, ${SRC_CELLS}, ${FRESH_ROWS}, ${GONE_ROWS}, ${RETRY_ROWS}`,
  );
}

/**
 * Whether a table with this recorded state has its changes found by a query on the source
 * (TableSync.changeQueries) rather than read whole: a small table costs less to read whole
 * than to compare per bucket.
 */
export function readsAhead(state: State | undefined, wholeTableRows: number): boolean {
  return !!state && state.buckets * ROWS_PER_BUCKET > wholeTableRows;
}

/** Stages up to this many rows are "small" (see TableSync.small). */
const SMALL_STAGE = 50_000;

/** Rows per bucket the first import aims at: a change re-reads about this many rows. */
const ROWS_PER_BUCKET = 16;
const MAX_BUCKETS = 1 << 20;

/**
 * Syncs one Tahrir table into its Accolades table, in three steps the importer runs for
 * every table before moving on to the next step (so a conflict anywhere stops the run
 * before anything is written):
 *
 * 1. stage: find the buckets of keys whose content changed since the last run (row count
 *    and hash sum per bucket, computed on the source, against the stored ones), read their
 *    rows into a temporary table, and decide per row: insert, update, delete, or nothing.
 * 2. classify: look at the target: rows created or changed in Accolades are kept (local),
 *    Tahrir's duplicates and facts Accolades holds already are skipped, and clashes with
 *    rows created in Accolades are conflicts.
 * 3. apply: deletions (children first, over all tables), then inserts and updates in
 *    batches of buckets, each batch one transaction with its provenance rows and bucket
 *    hashes: a run that fails leaves whole batches, and the next run re-reads the rest.
 */
export class TableSync {
  readonly stage: string;
  private mask = 0;
  private bucketCount = 0;
  /** Every row of the table was read (first time, small table, most buckets changed). */
  private all = false;
  /** Few rows were read: look them up one by one rather than joining whole tables. */
  private small = true;
  /** Nothing was recorded for this table before this run. */
  private firstTime = false;
  summary: TableSummary;

  constructor(
    readonly t: TableSpec,
    private readonly source: SourceDb,
    private readonly target: TargetDb,
    private readonly progress: ImportProgress,
    private readonly options: {
      wholeTableRows: number;
      /** This run's snapshot (null: transaction ids are not compared). */
      marks: SourceMarks | null;
    },
  ) {
    this.stage = `tahrir_stage_${t.target}`;
    this.summary = {
      table: t.source,
      sourceRows: 0,
      read: 0,
      inserted: 0,
      updated: 0,
      deleted: 0,
      skipped: 0,
      kept: 0,
      skippedTotal: { orphan: 0, duplicate: 0, local: 0 },
      changesBy: 'all',
    };
  }

  private get name(): string {
    return `'${this.t.source}'`;
  }

  // ---------------------------------------------------------------- 1. stage

  /** Rows the apply step has to look at (0: the table is in step, nothing to do). */
  pending = 0;

  /**
   * How this run finds the table's changes (decided here, so called before stageChanges),
   * and the source queries that takes (to be run ahead, on connections of their own, and
   * handed to stageChanges in this order).
   */
  changeQueries(state: State | undefined): string[] {
    this.method = this.chooseMethod(state);
    if (!state || this.method === 'all') return [];
    if (this.method === 'hashes') return [this.bucketHashQuery(state)];
    return [xidQuery(this.t, state.buckets, this.lastXmin!)];
  }

  private method: ChangeMethod = 'all';
  /** The last run's snapshot xmin, when transaction ids are compared. */
  private lastXmin: bigint | null = null;

  private chooseMethod(state: State | undefined): ChangeMethod {
    if (!state || !readsAhead(state, this.options.wholeTableRows)) return 'all';
    const { marks } = this.options;
    this.lastXmin = marks ? comparableXmin(state, marks) : null;
    // Deleted rows are confirmed by looking their keys up in Tahrir's primary key.
    return this.lastXmin === null ? 'hashes' : 'xids';
  }

  async stageChanges(state: State | undefined, prefetched: Promise<Buffer>[] = []): Promise<void> {
    const { t, target } = this;
    await target.query(`DROP TABLE IF EXISTS ${this.stage}`);
    let filter: { buckets: number[]; keys: string[] } | null = null;
    let sourceBuckets = false;
    this.firstTime = !state;
    this.summary.changesBy = this.method;
    if (!state) {
      // First time: everything.
      const { rows } = await this.source.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${t.source}`,
      );
      this.summary.sourceRows = Number(rows[0].n);
      this.bucketCount = chooseBuckets(this.summary.sourceRows);
      this.mask = this.bucketCount - 1;
      this.all = true;
    } else {
      this.bucketCount = state.buckets;
      this.mask = state.buckets - 1;
      if (this.method === 'all') {
        this.all = true;
      } else {
        if (this.method === 'hashes') {
          await this.findChangesByHashes(state, prefetched);
          sourceBuckets = true;
        } else {
          // Before waiting for the source's answer: this needs only the target.
          await this.listRetryCandidates();
          if (!(await this.findChangesByXids(state, prefetched)))
            return this.restageByHashes(state);
        }
        const [{ n, buckets, rows }] = await target.query<{
          n: number;
          buckets: number[] | null;
          rows: number;
        }>(
          `SELECT count(*)::int AS n, array_agg(bucket ORDER BY bucket) AS buckets,
                  (SELECT coalesce(sum(rows), 0)::int FROM ${sourceBuckets ? SRC_BUCKETS : SRC_CELLS} WHERE tbl = ${this.name}) AS rows
             FROM ${CHANGED} WHERE tbl = ${this.name}`,
        );
        this.summary.sourceRows = rows;
        const retry = await this.skippedToRetry();
        if (n === 0 && retry.length === 0) return;
        if (sourceBuckets) {
          // Past half the buckets, reading everything costs less than testing each row.
          if (n > this.bucketCount / 2) this.all = true;
          else filter = { buckets: buckets ?? [], keys: retry.map((r) => r.key) };
        } else {
          // Rows are looked up one by one: past a quarter of the table, a scan costs less.
          const keys = await this.freshKeys(retry);
          if (keys.length > rows / 4) this.all = true;
          else filter = { buckets: [], keys };
        }
      }
    }

    const cols = t.columns.map((c) => `${c.name} ${c.type}`).join(', ');
    await target.query(`
      CREATE TEMP TABLE ${this.stage} (
        key text NOT NULL, bucket integer NOT NULL, key_hash integer, src_hash bigint NOT NULL, ${cols},
        in_source boolean NOT NULL DEFAULT true,
        action text NOT NULL DEFAULT 'insert',
        status text, detail text,
        old_status text, old_detail text, old_source_hash bigint, old_target_hash bigint)`);
    // The first time, rows go straight to the stage; later, through a plain table joined
    // with what earlier runs recorded (one write per row instead of a write and an update).
    const raw = state ? RAW : this.stage;
    if (state) {
      await target.query(`DROP TABLE IF EXISTS ${RAW}`);
      await target.query(
        `CREATE TEMP TABLE ${RAW} (key text NOT NULL, bucket integer NOT NULL, key_hash integer NOT NULL, src_hash bigint NOT NULL, ${cols})`,
      );
    }
    await this.readRows(filter, raw);
    if (this.all && !sourceBuckets) {
      await target.query(`
        INSERT INTO ${SRC_BUCKETS} (tbl, bucket, rows, hash, key_xor)
        SELECT ${this.name}, bucket, count(*), ${this.source.hash.combine}(src_hash), bit_xor(key_hash)
          FROM ${raw} GROUP BY bucket`);
      this.summary.sourceRows = this.summary.read;
    } else if (this.method === 'xids' && !(await this.changedBucketsAddUp())) {
      return this.restageByHashes(state!);
    }
    this.small = this.summary.read <= SMALL_STAGE;
    if (state) {
      await this.mergeState();
      await target.query(`DROP TABLE ${RAW}`);
    }
    const [{ pending }] = await target.query<{ pending: number }>(
      `SELECT count(*) FILTER (WHERE action <> 'none')::int AS pending FROM ${this.stage}`,
    );
    this.pending = pending;
    // Large stages are written in several batches (by bucket) and need statistics for good
    // plans; small ones go in one batch, where planner defaults (few rows) serve best.
    if (!this.small) {
      await target.query(`CREATE INDEX ON ${this.stage} (bucket)`);
      await target.query(`ANALYZE ${this.stage}`);
    }
  }

  /**
   * Whether a run with this recorded state compares bucket hashes (rather than reading the
   * whole table), and the source query that computes them.
   */
  bucketHashQuery(state: State): string {
    const { t } = this;
    // One flat aggregate, so PostgreSQL can split the scan among parallel workers; run by
    // SourceDb.aggregate, which makes it hash rather than sort (otherwise the planner,
    // taking every key for its own group, sorts whole rows before hashing them).
    return `
      SELECT ${this.name}, hashtext(${t.key}) & ${state.buckets - 1}, count(*), ${this.source.hash.combine}(${this.source.hash.row(t)}),
             bit_xor(hashtext(${t.key}))
        FROM ${t.source} x GROUP BY 2`;
  }

  /** CHANGED: the buckets whose row count or combined hash differ from the recorded ones. */
  private async findChangesByHashes(state: State, prefetched: Promise<Buffer>[]): Promise<void> {
    await this.loadAggregate(
      SRC_BUCKETS,
      [
        { name: 'tbl', type: 'text' },
        { name: 'bucket', type: 'integer' },
        { name: 'rows', type: 'integer' },
        { name: 'hash', type: 'numeric' },
        { name: 'key_xor', type: 'integer' },
      ],
      prefetched[0] ?? this.source.aggregate(this.bucketHashQuery(state)),
    );
    await this.target.query(`
      INSERT INTO ${CHANGED} (tbl, bucket)
      SELECT ${this.name}, coalesce(s.bucket, b.bucket)
        FROM (SELECT bucket, rows, hash FROM ${SRC_BUCKETS} WHERE tbl = ${this.name}) s
        FULL JOIN (SELECT bucket, rows, hash FROM tahrir_import_buckets WHERE source_table = ${this.name}) b
          ON b.bucket = s.bucket
       WHERE s.bucket IS NULL OR b.bucket IS NULL OR s.rows <> b.rows OR s.hash <> b.hash`);
    // Buckets in step whose key XOR is not recorded yet (imported by an earlier version):
    // the source's is theirs too, and lets the next runs name deleted keys.
    await this.target.query(`
      UPDATE tahrir_import_buckets b SET key_xor = s.key_xor
        FROM ${SRC_BUCKETS} s
       WHERE s.tbl = ${this.name} AND b.source_table = ${this.name} AND b.bucket = s.bucket
         AND b.rows = s.rows AND b.hash = s.hash AND b.key_xor IS DISTINCT FROM s.key_xor`);
  }

  /**
   * CHANGED: the buckets with rows written or deleted since the last run, by transaction
   * ids and counts (see xid-changes.ts); false when the counts do not add up.
   */
  private async findChangesByXids(state: State, prefetched: Promise<Buffer>[]): Promise<boolean> {
    await this.loadAggregate(
      SRC_CELLS,
      [
        { name: 'tbl', type: 'text' },
        { name: 'cell', type: 'integer' },
        { name: 'rows', type: 'integer' },
        { name: 'key_xor', type: 'integer' },
        { name: 'fresh_keys', type: 'text[]' },
        { name: 'fresh_hashes', type: 'integer[]' },
      ],
      prefetched[0] ?? this.source.aggregate(xidQuery(this.t, state.buckets, this.lastXmin!)),
    );
    await this.target.query(`
      INSERT INTO ${FRESH_ROWS} (tbl, key, bucket, key_hash)
      SELECT tbl, f.key, f.hash & ${this.mask}, f.hash
        FROM ${SRC_CELLS} c, unnest(c.fresh_keys, c.fresh_hashes) AS f(key, hash)
       WHERE c.tbl = ${this.name} AND c.fresh_keys IS NOT NULL`);
    const found = await findDeletions(this.source, this.target, this.t, state.buckets);
    if (!found) return false;
    await this.target.query(`
      INSERT INTO ${CHANGED} (tbl, bucket)
      SELECT ${this.name}, bucket FROM ${FRESH_ROWS} WHERE tbl = ${this.name}
      UNION SELECT ${this.name}, bucket FROM ${GONE_ROWS} WHERE tbl = ${this.name}`);
    return true;
  }

  /**
   * Skipped rows (orphans, duplicates) to read again: their badge or person may have
   * arrived, the award they duplicated may be gone. Comparing hashes (the way that assumes
   * nothing) reads them all; with transaction ids, those whose cause moved (see
   * skipped-rows.ts).
   */
  private async skippedToRetry(): Promise<{ key: string }[]> {
    if (this.method !== 'xids') {
      return this.target.query<{ key: string }>(
        `SELECT source_key AS key FROM tahrir_import_rows
          WHERE source_table = ${this.name} AND status IN ('orphan', 'duplicate')`,
      );
    }
    const changedKeys = `SELECT key FROM ${GONE_ROWS} WHERE tbl = ${this.name}
                         UNION ALL SELECT key FROM ${FRESH_ROWS} WHERE tbl = ${this.name}`;
    return this.target.query<{ key: string }>(retrySql(this.t, changedKeys));
  }

  /** RETRY_ROWS for this table (parents' stages judged already, if staged). */
  private async listRetryCandidates(): Promise<void> {
    const stages = await this.target.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c
        WHERE c.relname = ANY($1) AND c.relnamespace = pg_my_temp_schema()`,
      [this.t.parents.map((ref) => `tahrir_stage_${ref.target}`)],
    );
    await this.target.query(retryCandidatesSql(this.t, new Set(stages.map((r) => r.name))));
  }

  /** The keys of the rows to read: the fresh ones, and the skipped rows to retry. */
  private async freshKeys(retry: { key: string }[]): Promise<string[]> {
    const rows = await this.target.query<{ key: string }>(
      `SELECT key FROM ${FRESH_ROWS} WHERE tbl = ${this.name}`,
    );
    return [...new Set([...rows.map((r) => r.key), ...retry.map((r) => r.key)])];
  }

  /**
   * After reading the fresh rows: the changed buckets' counts and hashes (SRC_BUCKETS),
   * and whether every row of the table is accounted for (rows now = recorded rows of the
   * buckets left alone + rows of the changed buckets, none below zero).
   */
  private async changedBucketsAddUp(): Promise<boolean> {
    const { target } = this;
    await target.query(
      updatedBucketsSql(this.t, this.source.hash, {
        changed: CHANGED,
        read: RAW,
        into: SRC_BUCKETS,
      }),
    );
    const [{ ok }] = await target.query<{ ok: boolean }>(`
      SELECT (SELECT coalesce(sum(rows), 0) FROM ${SRC_CELLS} WHERE tbl = ${this.name})
           = (SELECT coalesce(sum(rows), 0) FROM ${SRC_BUCKETS} WHERE tbl = ${this.name})
           + (SELECT coalesce(sum(b.rows), 0) FROM tahrir_import_buckets b
               WHERE b.source_table = ${this.name}
                 AND NOT EXISTS (SELECT 1 FROM ${CHANGED} c WHERE c.tbl = ${this.name} AND c.bucket = b.bucket))
         AND NOT EXISTS (SELECT 1 FROM ${SRC_BUCKETS} WHERE tbl = ${this.name} AND rows < 0) AS ok`);
    return ok;
  }

  /**
   * The transaction ids and counts did not add up (recorded state from an interrupted or
   * older import, a source restored in place...): start over for this table by hashes.
   */
  private async restageByHashes(state: State): Promise<void> {
    const { target } = this;
    for (const table of [CHANGED, SRC_BUCKETS, SRC_CELLS, FRESH_ROWS, GONE_ROWS, RETRY_ROWS]) {
      await target.query(`DELETE FROM ${table} WHERE tbl = ${this.name}`);
    }
    await target.query(`DROP TABLE IF EXISTS ${this.stage}, ${RAW}`);
    this.summary.read = 0;
    this.all = false;
    this.method = 'hashes';
    return this.stageChanges(state);
  }

  /** An aggregate computed on the source (possibly ahead of time) into a run table. */
  private async loadAggregate(
    table: string,
    columns: { name: string; type: string }[],
    rows: Promise<Buffer>,
  ): Promise<void> {
    try {
      await this.target.copyIn(table, columns, Readable.from([await rows]), () => undefined);
    } catch (err) {
      throw this.source.translate(err);
    }
  }

  /**
   * Copies source rows into the stage table: those of the given buckets and keys, or all.
   * (COPY takes no parameters: the buckets are integers and the keys quoted literals.)
   */
  private async readRows(
    filter: { buckets: number[]; keys: string[] } | null,
    into: string,
  ): Promise<void> {
    const { t } = this;
    const conditions: string[] = [];
    if (filter?.buckets.length) {
      conditions.push(
        `(hashtext(kk.k) & ${this.mask}) = ANY('{${filter.buckets.join(',')}}'::integer[])`,
      );
    }
    if (filter?.keys.length) conditions.push(keyLookup(t, filter.keys));
    const where = filter ? `WHERE ${conditions.join(' OR ') || 'false'}` : '';
    const sql = `
      SELECT kk.k, hashtext(kk.k) & ${this.mask}, hashtext(kk.k), ${this.source.hash.row(t)}, ${t.columns.map((c) => c.src).join(', ')}
        FROM ${t.source} x CROSS JOIN LATERAL (SELECT ${t.key} AS k) kk ${where}`;
    const expected = !filter
      ? this.summary.sourceRows
      : filter.buckets.length
        ? Number(
            (
              await this.target.query<{ n: string }>(
                `SELECT coalesce(sum(rows), 0) AS n FROM ${SRC_BUCKETS} WHERE tbl = ${this.name} AND bucket = ANY($1)`,
                [filter.buckets],
              )
            )[0].n,
          ) + filter.keys.length
        : filter.keys.length;
    this.progress.start(`read ${t.source}`, expected);
    try {
      await this.target.copyIn(
        into,
        [
          { name: 'key', type: 'text' },
          { name: 'bucket', type: 'integer' },
          { name: 'key_hash', type: 'integer' },
          { name: 'src_hash', type: 'bigint' },
          ...t.columns,
        ],
        this.source.copyOut(sql),
        (n) => {
          this.summary.read += n;
          this.progress.advance(n);
        },
      );
    } catch (err) {
      throw this.source.translate(err);
    } finally {
      this.progress.finish();
    }
  }

  /** Joins what was read with what the last runs recorded, and decides per row. */
  private async mergeState(): Promise<void> {
    const { t, target } = this;
    const cols = ['key', 'bucket', 'key_hash', 'src_hash', ...t.columns.map((c) => c.name)];
    // A catch-up run reads a few thousand rows: one index probe each (LATERAL ... LIMIT 1
    // keeps the planner from hashing the whole provenance table to find them).
    const recorded = this.small
      ? `LEFT JOIN LATERAL (
           SELECT * FROM tahrir_import_rows r
            WHERE r.source_table = ${this.name} AND r.source_key = x.key LIMIT 1) r ON true`
      : `LEFT JOIN tahrir_import_rows r ON r.source_table = ${this.name} AND r.source_key = x.key`;
    await target.query(`
      INSERT INTO ${this.stage} (${cols.join(', ')}, action, old_status, old_detail, old_source_hash, old_target_hash)
      SELECT ${cols.map((c) => `x.${c}`).join(', ')},
             CASE
               WHEN r.status IS NULL OR r.status IN ('orphan', 'duplicate') THEN 'insert'
               WHEN r.source_hash = x.src_hash THEN 'none'
               WHEN r.status = 'imported' THEN 'update'
               ELSE 'restate'
             END,
             r.status, r.detail, r.source_hash, r.target_hash
        FROM ${RAW} x ${recorded}`);
    await target.query(`CREATE INDEX ON ${this.stage} (key)`);
    // Rows (of the changed buckets) that Tahrir no longer has.
    const rows = this.all
      ? `(SELECT * FROM tahrir_import_rows r WHERE r.source_table = ${this.name})`
      : this.method === 'xids'
        ? `(SELECT r.* FROM ${GONE_ROWS} g
              JOIN tahrir_import_rows r ON r.source_table = ${this.name} AND r.source_key = g.key
             WHERE g.tbl = ${this.name})`
        : `(SELECT r.* FROM ${CHANGED} c CROSS JOIN LATERAL (
           SELECT * FROM tahrir_import_rows r
            WHERE r.source_table = ${this.name} AND r.bucket = c.bucket OFFSET 0) r
          WHERE c.tbl = ${this.name})`;
    await target.query(`
      INSERT INTO ${this.stage} (key, bucket, src_hash, in_source, action, old_status, old_detail, old_source_hash, old_target_hash)
      SELECT r.source_key, r.bucket, r.source_hash, false,
             CASE WHEN r.status = 'imported' THEN 'delete' ELSE 'forget' END,
             r.status, r.detail, r.source_hash, r.target_hash
        FROM ${rows} r
       WHERE NOT EXISTS (SELECT 1 FROM ${RAW} s WHERE s.key = r.source_key)`);
  }

  // ---------------------------------------------------------------- 2. classify

  /** Marks what must not be written as is; returns the conflicts (nothing written yet). */
  async classify(): Promise<{ conflicts: ImportConflict[]; total: number }> {
    if (!this.pending) return { conflicts: [], total: 0 };
    const { t, target } = this;
    const S = this.stage;
    const T = t.target;
    const conflicts: ImportConflict[] = [];
    let total = 0;
    const counts = await this.actionCounts();
    // Nothing in the target table yet (a first import): nothing to collide with.
    const [{ empty }] = await target.query<{ empty: boolean }>(
      `SELECT NOT EXISTS (SELECT 1 FROM ${T}) AS empty`,
    );
    const has = (a: string) => !empty && (counts.get(a) ?? 0) > 0;
    const imported = (alias: string, spec: TableSpec = t) =>
      `EXISTS (SELECT 1 FROM tahrir_import_rows r WHERE r.source_table = '${spec.source}'
                 AND r.source_key = ${spec.keyOf(alias)} AND r.status = 'imported')`;
    const collect = async (sql: string) => {
      const rows = await target.query<{ key: string; reason: string; total: number }>(
        `SELECT key, reason, count(*) OVER ()::int AS total FROM (${sql}) c ORDER BY key LIMIT 20`,
      );
      if (rows.length) total += rows[0].total;
      conflicts.push(...rows.map((r) => ({ table: t.source, key: r.key, reason: r.reason })));
    };

    if (has('update')) {
      // Changed or removed in Accolades since the import wrote it: Accolades' row stays.
      await target.query(`
        UPDATE ${S} s SET action = 'keep', status = 'local',
          detail = CASE WHEN EXISTS (SELECT 1 FROM ${T} t WHERE ${pkEquals(t, 't', 's')})
                        THEN 'changed in Accolades' ELSE 'removed in Accolades' END
         WHERE s.action = 'update'
           AND NOT EXISTS (SELECT 1 FROM ${T} t WHERE ${pkEquals(t, 't', 's')}
                             AND ${targetHashSql(t, 't')} = s.old_target_hash)`);
      // Only columns the import does not write changed (or how Tahrir renders them).
      const usesStaged = Object.values(t.onUpdate ?? {}).some((e) => /\bs\./.test(e));
      if (!usesStaged) {
        await target.query(`
          UPDATE ${S} s SET action = 'restate'
           WHERE s.action = 'update' AND ${targetHashSql(t, 's')} = s.old_target_hash`);
      }
    }

    if (has('delete')) {
      const pkOf = t.pkOfKey('s.key');
      const targetRow = `${t.pk.map((c, i) => `t.${c} = ${pkOf[i]}`).join(' AND ')}`;
      await target.query(`
        UPDATE ${S} s SET action = 'spare', detail = 'kept: changed in Accolades since the import'
         WHERE s.action = 'delete'
           AND EXISTS (SELECT 1 FROM ${T} t WHERE ${targetRow} AND ${targetHashSql(t, 't')} <> s.old_target_hash)`);
      for (const { child, ref } of childrenOf(t)) {
        const refersTo = ref.cols
          .map((c, i) => `c.${c} = ${pkOf[t.pk.indexOf(ref.refCols[i])]}`)
          .join(' AND ');
        await target.query(`
          UPDATE ${S} s SET action = 'spare', detail = 'kept: ${child.target} created in Accolades refer to it'
           WHERE s.action = 'delete'
             AND EXISTS (SELECT 1 FROM ${child.target} c WHERE ${refersTo} AND NOT ${imported('c', child)})`);
      }
    }

    if (has('insert')) {
      const factIsPk =
        t.fact !== undefined &&
        t.fact.cols.length === t.pk.length &&
        t.fact.cols.every((c) => t.pk.includes(c));
      if (factIsPk) {
        await target.query(`
          UPDATE ${S} s SET action = 'skip', status = 'local', detail = 'held in Accolades already'
           WHERE s.action = 'insert' AND EXISTS (SELECT 1 FROM ${T} t WHERE ${pkEquals(t, 't', 's')})`);
      } else {
        await collect(`
          SELECT s.key, 'a ${t.label} with this id was created in Accolades' AS reason FROM ${S} s
           WHERE s.action = 'insert' AND EXISTS (SELECT 1 FROM ${T} t WHERE ${pkEquals(t, 't', 's')})`);
      }
    }

    if (has('insert') || has('update')) {
      for (const unique of t.identity) {
        const same = unique.map((c) => `t.${c} = s.${c}`).join(' AND ');
        const shown = unique.map((c) => `s.${c}`).join(` || ', ' || `);
        await collect(`
          SELECT s.key, '${unique.join(', ')} "' || ${shown} || '" belongs to ${t.label} ' || ${t.keyOf('t')}
                 || ' created in Accolades' AS reason
            FROM ${S} s JOIN ${T} t ON ${same} AND NOT (${pkEquals(t, 't', 's')})
           WHERE s.action IN ('insert', 'update') AND NOT ${imported('t')}`);
      }
    }

    if (t.fact && (counts.get('insert') ?? 0) > 0) {
      const same = t.fact.cols.map((c) => `t.${c} = s.${c}`).join(' AND ');
      if (!empty) {
        await target.query(`
          UPDATE ${S} s SET action = 'skip', status = 'local',
                 detail = 'held in Accolades already (' || ${t.keyOf('t')} || ')'
            FROM ${T} t
           WHERE s.action = 'insert' AND ${same} AND NOT (${pkEquals(t, 't', 's')}) AND NOT ${imported('t')}`);
        await target.query(`
          UPDATE ${S} s SET action = 'skip', status = 'duplicate', detail = ${skippedBecause.duplicate(t.keyOf('t'))}
            FROM ${T} t
           WHERE s.action = 'insert' AND ${same} AND NOT (${pkEquals(t, 't', 's')}) AND ${imported('t')}
             AND NOT EXISTS (SELECT 1 FROM ${S} g WHERE g.key = ${t.keyOf('t')} AND g.action = 'delete')`);
      }
      const fact = t.fact.cols.map((c) => `s.${c}`).join(', ');
      await target.query(`
        UPDATE ${S} s SET action = 'skip', status = 'duplicate', detail = ${skippedBecause.duplicate('d.first')}
          FROM (
            SELECT s.key, first_value(s.key) OVER w AS first, row_number() OVER w AS n
              FROM ${S} s
             WHERE s.action = 'insert'
               AND (${fact}) IN (SELECT ${fact} FROM ${S} s WHERE s.action = 'insert' GROUP BY ${fact} HAVING count(*) > 1)
            WINDOW w AS (PARTITION BY ${fact} ORDER BY ${t.fact.order})
          ) d
         WHERE d.key = s.key AND d.n > 1`);
    }
    return { conflicts, total };
  }

  private counts = new Map<string, number>();
  /** Rows of the stage never seen by an earlier run (to be written as new provenance). */
  private fresh = 0;

  private count(action: string): number {
    return this.counts.get(action) ?? 0;
  }

  private async refreshCounts(): Promise<void> {
    const rows = await this.target.query<{ action: string; n: number; fresh: number }>(
      `SELECT action, count(*)::int AS n,
              count(*) FILTER (WHERE old_status IS NULL AND in_source)::int AS fresh
         FROM ${this.stage} GROUP BY action`,
    );
    this.counts = new Map(rows.map((r) => [r.action, r.n]));
    this.fresh = rows.filter((r) => r.action !== 'none').reduce((a, r) => a + r.fresh, 0);
  }

  async actionCounts(): Promise<Map<string, number>> {
    const rows = await this.target.query<{ action: string; n: number }>(
      `SELECT action, count(*)::int AS n FROM ${this.stage} GROUP BY action`,
    );
    return new Map(rows.map((r) => [r.action, r.n]));
  }

  // ---------------------------------------------------------------- 3. apply

  /** Deletes the rows Tahrir no longer has (run children first, over all tables). */
  async applyDeletes(): Promise<void> {
    if (!this.pending) return;
    const { t, target } = this;
    const counts = await this.actionCounts();
    if (!counts.get('delete') && !counts.get('forget') && !counts.get('spare')) return;
    const S = this.stage;
    const pkOf = t.pkOfKey('s.key');
    const targetRow = t.pk.map((c, i) => `t.${c} = ${pkOf[i]}`).join(' AND ');
    await target.transaction(async () => {
      // Imported rows that refer to a deleted row and stay in Tahrir lose it (the target's
      // ON DELETE CASCADE removes them): they are orphans now, retried on later runs.
      for (const { child, ref } of childrenOf(t)) {
        const refersTo = ref.cols
          .map((c, i) => `c.${c} = ${pkOf[t.pk.indexOf(ref.refCols[i])]}`)
          .join(' AND ');
        await target.query(`
          UPDATE tahrir_import_rows r SET status = 'orphan', target_hash = NULL,
                 detail = ${skippedBecause.deleted(t.label, 's.key')}
            FROM ${S} s JOIN ${child.target} c ON ${refersTo}
           WHERE s.action = 'delete' AND r.source_table = '${child.source}'
             AND r.source_key = ${child.keyOf('c')} AND r.status = 'imported'`);
      }
      this.summary.deleted += await target.exec(
        `DELETE FROM ${t.target} t USING ${S} s WHERE s.action = 'delete' AND ${targetRow}`,
      );
      // A row kept because of Accolades (spare) is Accolades' own from now on.
      this.summary.kept += counts.get('spare') ?? 0;
      await target.query(`
        DELETE FROM tahrir_import_rows r USING ${S} s
         WHERE r.source_table = ${this.name} AND r.source_key = s.key
           AND s.action IN ('delete', 'forget', 'spare')`);
    });
  }

  /**
   * Inserts and updates. Normally in batches of about `batchSize` rows (whole buckets),
   * each one transaction with the provenance rows and bucket hashes it covers, triggers on.
   *
   * A bulk load (`bulk`: many rows into persons or assertions) is one transaction for the
   * table instead: triggers off (the derived figures are marked stale and rebuilt once at
   * the end, or by the next run if this one stops) and, when the table is small next to
   * what arrives, its secondary indexes and foreign keys dropped and re-created after the
   * load (building an index once is several times faster than growing it row by row; the
   * keys are checked again when re-created). DDL is transactional: other sessions never
   * see the table without them, they wait.
   */
  async applyUpserts(opts: { batchSize: number; bulk: boolean }): Promise<void> {
    if (!this.pending) return this.countSkipped();
    const { t, target } = this;
    const S = this.stage;
    // Work that fits in one batch needs no weighing of its buckets.
    const oneBatch = opts.bulk || this.pending <= opts.batchSize;
    const weights = oneBatch
      ? [{ bucket: 0, n: this.pending }]
      : await target.query<{ bucket: number; n: number }>(
          `SELECT bucket, count(*)::int AS n FROM ${S} WHERE action <> 'none' GROUP BY bucket ORDER BY bucket`,
        );
    const totalWork = weights.reduce((a, w) => a + w.n, 0);
    await this.markOrphans();
    await this.refreshCounts();
    const ranges = oneBatch
      ? [[0, this.bucketCount] as [number, number]]
      : batchRanges(weights, opts.batchSize, this.bucketCount);
    this.progress.start(`write ${t.source}`, totalWork);
    try {
      for (const [lo, hi] of ranges) {
        const work =
          ranges.length === 1
            ? totalWork
            : weights.filter((w) => w.bucket >= lo && w.bucket < hi).reduce((a, w) => a + w.n, 0);
        await target.transaction(async () => {
          if (!opts.bulk) return this.applyBatch(lo, hi);
          await target.query(`SET LOCAL maintenance_work_mem = '256MB'`);
          await target.query(`SET LOCAL work_mem = '64MB'`);
          await target.query(`ALTER TABLE ${t.target} DISABLE TRIGGER USER`);
          await this.upsertTableState();
          await target.query(
            `UPDATE tahrir_import_tables SET derived_stale = true WHERE source_table = ${this.name}`,
          );
          const [{ existing }] = await target.query<{ existing: number }>(
            `SELECT count(*)::int AS existing FROM ${t.target}`,
          );
          const inserts = this.count('insert');
          const rebuild = inserts > existing;
          const restore = rebuild ? await dropSecondary(target, t.target, true) : [];
          const [{ stateRows }] = await target.query<{ stateRows: number }>(
            `SELECT count(*)::int AS "stateRows" FROM tahrir_import_rows`,
          );
          const restoreState =
            inserts > stateRows ? await dropSecondary(target, 'tahrir_import_rows', false) : [];
          await this.applyBatch(lo, hi);
          for (const sql of [...restore, ...restoreState]) await target.query(sql);
          await target.query(`ALTER TABLE ${t.target} ENABLE TRIGGER USER`);
        });
        this.progress.advance(work);
      }
    } finally {
      this.progress.finish();
    }
    await this.summarize();
  }

  /**
   * Rows whose badge, person... is not in Accolades (deleted in Tahrir) are skipped, and an
   * imported row that now points to a missing one leaves. Parents are applied before their
   * children, so the target tells what exists.
   */
  private async markOrphans(): Promise<void> {
    const { t, target } = this;
    if (!t.parents.length) return;
    const S = this.stage;
    const on = (ref: (typeof t.parents)[number], i: number) =>
      ref.cols.map((c, j) => `p${i}.${ref.refCols[j]} = s.${c}`).join(' AND ');
    const joins = t.parents
      .map((ref, i) =>
        this.small
          ? `LEFT JOIN LATERAL (SELECT ${ref.refCols[0]} FROM ${ref.target} p${i} WHERE ${on(ref, i)} LIMIT 1) p${i} ON true`
          : `LEFT JOIN ${ref.target} p${i} ON ${on(ref, i)}`,
      )
      .join('\n');
    const missing = (ref: (typeof t.parents)[number], i: number) =>
      `(p${i}.${ref.refCols[0]} IS NULL AND ${ref.cols.map((c) => `s.${c} IS NOT NULL`).join(' AND ')})`;
    const detail = t.parents
      .map(
        (ref, i) =>
          `CASE WHEN ${missing(ref, i)} THEN ${skippedBecause.missing(ref.what, ref.cols.map((c) => `s.${c}`).join(` || ',' || `))} END`,
      )
      .join(', ');
    await target.query(`
      UPDATE ${S} u SET action = CASE u.action WHEN 'insert' THEN 'skip' ELSE 'drop' END,
             status = 'orphan', detail = o.detail
        FROM (SELECT s.key, concat_ws('; ', ${detail}) AS detail
                FROM ${S} s ${joins}
               WHERE s.action IN ('insert', 'update') AND (${t.parents.map(missing).join(' OR ')})) o
       WHERE u.key = o.key`);
  }

  private async upsertTableState(): Promise<void> {
    await this.target.query(
      `INSERT INTO tahrir_import_tables (source_table, buckets) VALUES (${this.name}, $1)
       ON CONFLICT (source_table) DO NOTHING`,
      [this.bucketCount],
    );
  }

  private async applyBatch(lo: number, hi: number): Promise<void> {
    const { t, target } = this;
    const S = this.stage;
    const T = t.target;
    const inRange = `s.bucket >= ${lo} AND s.bucket < ${hi}`;
    // Statements with nothing to do (by the table's counts) are not sent.
    if (this.firstTime) await this.upsertTableState();

    if (this.count('drop')) {
      this.summary.deleted += await target.exec(
        `DELETE FROM ${T} t USING ${S} s WHERE s.action = 'drop' AND ${inRange} AND ${pkEquals(t, 't', 's')}`,
      );
    }
    const owned = ownedColumns(t).filter((c) => !t.pk.includes(c.name));
    const sets = [
      ...owned.map((c) => `${c.name} = s.${c.name}`),
      ...Object.entries(t.onUpdate ?? {}).map(([c, e]) => `${c} = ${e}`),
    ];
    if (sets.length && this.count('update')) {
      // Rows whose new values equal the current ones are left alone (no trigger work).
      const cols = [...owned.map((c) => c.name), ...Object.keys(t.onUpdate ?? {})];
      const values = [
        ...owned.map((c) => `s.${c.name}`),
        ...Object.entries(t.onUpdate ?? {}).map(([c, e]) => (/\bs\./.test(e) ? e : `t.${c}`)),
      ];
      this.summary.updated += await target.exec(`
        UPDATE ${T} t SET ${sets.join(', ')}
          FROM ${S} s WHERE s.action = 'update' AND ${inRange} AND ${pkEquals(t, 't', 's')}
           AND (${cols.map((c) => `t.${c}`).join(', ')}) IS DISTINCT FROM (${values.join(', ')})`);
    }
    if (this.count('insert')) {
      const names = t.columns.map((c) => c.name).join(', ');
      this.summary.inserted += await target.exec(`
        INSERT INTO ${T} (${names})
        SELECT ${t.columns.map((c) => `s.${c.name}`).join(', ')} FROM ${S} s
         WHERE s.action = 'insert' AND ${inRange}`);
    }

    // Provenance: rows never seen before are plain inserts (the bulk of a first import),
    // the others update what the last runs recorded, only where something differs.
    const stateRow = `
      SELECT ${this.name}, s.key, s.bucket, s.key_hash, s.src_hash,
             CASE WHEN s.action IN ('insert', 'update') THEN ${targetHashSql(t, 's')}
                  WHEN s.action IN ('restate', 'keep') THEN s.old_target_hash END,
             CASE WHEN s.action IN ('insert', 'update') THEN 'imported'
                  WHEN s.action = 'restate' THEN s.old_status ELSE s.status END,
             CASE WHEN s.action IN ('insert', 'update') THEN NULL
                  WHEN s.action = 'restate' THEN s.old_detail ELSE s.detail END
        FROM ${S} s
       WHERE ${inRange} AND s.in_source AND s.action <> 'none'`;
    const columns =
      'source_table, source_key, bucket, key_hash, source_hash, target_hash, status, detail';
    if (this.fresh) {
      await target.query(`
        INSERT INTO tahrir_import_rows (${columns}) ${stateRow} AND s.old_status IS NULL`);
    }
    if (this.pending - this.fresh > 0) {
      await target.query(`
      INSERT INTO tahrir_import_rows AS r (${columns}) ${stateRow} AND s.old_status IS NOT NULL
      ON CONFLICT (source_table, source_key) DO UPDATE SET
        bucket = excluded.bucket, key_hash = excluded.key_hash, source_hash = excluded.source_hash,
        target_hash = excluded.target_hash, status = excluded.status, detail = excluded.detail
      WHERE (r.bucket, r.key_hash, r.source_hash, r.target_hash, r.status, r.detail)
            IS DISTINCT FROM (excluded.bucket, excluded.key_hash, excluded.source_hash,
                              excluded.target_hash, excluded.status, excluded.detail)`);
    }

    // The buckets are in step with the source now.
    const changed = this.all
      ? ''
      : `AND s.bucket IN (SELECT bucket FROM ${CHANGED} WHERE tbl = ${this.name})`;
    const buckets = this.all
      ? `${SRC_BUCKETS} s WHERE s.tbl = ${this.name} AND ${inRange}`
      : `${CHANGED} c JOIN ${SRC_BUCKETS} s ON s.tbl = c.tbl AND s.bucket = c.bucket
         WHERE c.tbl = ${this.name} AND ${inRange.replace(/s\.bucket/g, 'c.bucket')}`;
    await target.query(`
      INSERT INTO tahrir_import_buckets AS b (source_table, bucket, rows, hash, key_xor)
      SELECT ${this.name}, s.bucket, s.rows, s.hash, s.key_xor
        FROM ${buckets}
      ON CONFLICT (source_table, bucket) DO UPDATE
        SET rows = excluded.rows, hash = excluded.hash, key_xor = excluded.key_xor
      WHERE (b.rows, b.hash, b.key_xor) IS DISTINCT FROM (excluded.rows, excluded.hash, excluded.key_xor)`);
    await target.query(`
      DELETE FROM tahrir_import_buckets s
       WHERE s.source_table = ${this.name} AND ${inRange} ${changed}
         AND NOT EXISTS (SELECT 1 FROM ${SRC_BUCKETS} x WHERE x.tbl = ${this.name} AND x.bucket = s.bucket)`);
  }

  /** Counts for the summary, and the rows newly skipped. */
  private async summarize(): Promise<void> {
    // Rows skipped again for the same reason as before are not news.
    const counts = await this.target.query<{ action: string; n: number }>(
      `SELECT action, count(*)::int AS n FROM ${this.stage}
        WHERE action IN ('skip', 'keep', 'drop')
          AND (old_status IS DISTINCT FROM status OR old_detail IS DISTINCT FROM detail)
        GROUP BY 1`,
    );
    for (const c of counts) {
      if (c.action === 'keep') this.summary.kept += c.n;
      else this.summary.skipped += c.n;
    }
    await this.countSkipped();
  }

  /** Rows of this table skipped so far, by reason. */
  private async countSkipped(): Promise<void> {
    const totals = await this.target.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM tahrir_import_rows
        WHERE source_table = ${this.name} AND status <> 'imported' GROUP BY status`,
    );
    for (const r of totals) {
      this.summary.skippedTotal[r.status as keyof TableSummary['skippedTotal']] = r.n;
    }
  }

  /** Rows skipped by this run that were not skipped the same way before. */
  async newlySkipped(limit: number): Promise<SkippedRow[]> {
    const flagged = ['skip', 'keep', 'drop', 'spare'].some((a) => this.count(a) > 0);
    if (!this.pending || limit <= 0 || !flagged) return [];
    const rows = await this.target.query<{ key: string; status: string; detail: string | null }>(
      `SELECT key, status, detail FROM ${this.stage}
        WHERE action IN ('skip', 'keep', 'drop', 'spare')
          AND (old_status IS DISTINCT FROM status OR old_detail IS DISTINCT FROM detail)
        ORDER BY key LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({
      table: this.t.source,
      key: r.key,
      status: r.status ?? 'kept',
      detail: r.detail,
    }));
  }

  /** How many rows the apply step inserts into this table. */
  async insertCount(): Promise<number> {
    if (!this.pending) return 0;
    await this.refreshCounts();
    return this.count('insert');
  }

  async dropTemp(): Promise<void> {
    await this.target.query(`DROP TABLE IF EXISTS ${this.stage}`);
  }
}

/**
 * Drops a table's secondary indexes (and, with `foreignKeys`, its foreign keys) inside the
 * caller's transaction; returns the statements that re-create them as they were.
 */
async function dropSecondary(
  target: TargetDb,
  table: string,
  foreignKeys: boolean,
): Promise<string[]> {
  const indexes = await target.query<{ name: string; def: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i
      WHERE i.indrelid = $1::regclass AND NOT i.indisunique AND NOT i.indisprimary
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
    [table],
  );
  const fks = foreignKeys
    ? await target.query<{ name: string; def: string }>(
        `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
          WHERE conrelid = $1::regclass AND contype = 'f'`,
        [table],
      )
    : [];
  for (const i of indexes) await target.query(`DROP INDEX ${i.name}`);
  for (const f of fks) await target.query(`ALTER TABLE ${table} DROP CONSTRAINT ${f.name}`);
  return [
    ...indexes.map((i) => i.def),
    ...fks.map((f) => `ALTER TABLE ${table} ADD CONSTRAINT ${f.name} ${f.def}`),
  ];
}

/** A power of two near rows / ROWS_PER_BUCKET. */
export function chooseBuckets(rows: number): number {
  let n = 16;
  while (n < MAX_BUCKETS && n * ROWS_PER_BUCKET < rows) n *= 2;
  return n;
}

/**
 * Splits [0, buckets) into ranges of about `batchSize` rows of work each (whole buckets;
 * the last range runs to the end, so every bucket belongs to one range).
 */
export function batchRanges(
  weights: { bucket: number; n: number }[],
  batchSize: number,
  buckets: number,
): [number, number][] {
  const ranges: [number, number][] = [];
  let lo = 0;
  let acc = 0;
  for (const w of weights) {
    acc += w.n;
    if (acc >= batchSize) {
      ranges.push([lo, w.bucket + 1]);
      lo = w.bucket + 1;
      acc = 0;
    }
  }
  if (lo < buckets || ranges.length === 0) ranges.push([lo, buckets]);
  return ranges;
}

/**
 * Source SQL (alias x) matching rows by key: through Tahrir's primary key index where the
 * key is its id column, else by testing every row's key.
 */
function keyLookup(t: TableSpec, keys: string[]): string {
  const ints = t.sourceId === 'integer' && keys.every((k) => /^-?\d+$/.test(k));
  if (ints) return `x.id = ANY('{${keys.join(',')}}'::integer[])`;
  const quoted = keys.map((k) => `'${k.replace(/'/g, "''")}'`).join(',');
  return t.sourceId === 'text'
    ? `x.id = ANY(ARRAY[${quoted}]::text[])`
    : `kk.k = ANY(ARRAY[${quoted}]::text[])`;
}
