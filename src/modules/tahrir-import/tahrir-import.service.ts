import { type ImportProgress, silentProgress } from './import-progress';
import { SourceDb, SourceSpares } from './source-db';
import {
  createRunTables,
  dropRunTables,
  readsAhead,
  type SkippedRow,
  type State,
  type TableSummary,
  TableSync,
} from './table-sync';
import { importBusy, type ImportConflict, ImportConflictError } from './tahrir-import.errors';
import { TABLES, waitingLast } from './tahrir-tables';
import { type TargetConnector, TargetDb } from './target-db';

export interface ImportOptions {
  /** Rows written per transaction (whole buckets). */
  batchSize?: number;
  /**
   * Inserting at least this many rows into persons or assertions switches their triggers
   * off for the load and rebuilds the derived figures once at the end.
   */
  bulkThreshold?: number;
  /** How far ahead of Tahrir's largest id the target's id sequences are kept. */
  idGap?: number;
  /**
   * Tables up to about this many rows (default 4,096) are read whole on every run; larger
   * ones only where they changed, found on a connection of their own. (Fedora's 6,000
   * progress counters read whole cost a catch-up about 100 ms of its main connection.)
   */
  wholeTableRows?: number;
  /**
   * Find changes by comparing every row's hash even where Tahrir's transaction ids would
   * tell (they are used by default; see xid-changes.ts).
   */
  compareHashes?: boolean;
  progress?: ImportProgress;
}

export interface ImportSummary {
  runId: number;
  /** `full` when nothing had been imported yet, else `incremental`. */
  mode: 'full' | 'incremental';
  source: string;
  revision: string;
  durationMs: number;
  tables: TableSummary[];
  totals: {
    read: number;
    inserted: number;
    updated: number;
    deleted: number;
    skipped: number;
    kept: number;
  };
  /** Rows skipped or kept by this run (first 100), with the reason. */
  skipped: SkippedRow[];
  /** Tables loaded with their triggers off. */
  bulkTables: string[];
  derivedRebuilt: boolean;
  /** Id sequences moved ahead of Tahrir's ids: table -> next id. */
  sequences: Record<string, number>;
}

const IMPORT_LOCK_KEY = 4_242_501;

/** The connections of a run. */
interface RunConnections {
  source: SourceDb;
  /** Opened ahead for the reads ahead (see SourceSpares). */
  spares: SourceSpares;
  /** The reads ahead under way, to settle before the run ends. */
  siblings: Promise<unknown>[];
  target: TargetDb;
}

/**
 * `accolades import tahrir`: copies a Tahrir database into Accolades, the first time
 * entirely, then only what changed (see TableSync for how), as often as needed until the
 * switch-over. Safe to rerun at any point: a run that stops leaves whole batches behind
 * and the next one carries on from there.
 */
export class TahrirImportService {
  constructor(
    private readonly connector: TargetConnector,
    /** The embedded database cannot take COPY FROM STDIN: batched inserts instead. */
    private readonly opts: { canCopyIn: boolean },
  ) {}

  async run(sourceUrl: string, options: ImportOptions = {}): Promise<ImportSummary> {
    const started = Date.now();
    const progress = options.progress ?? silentProgress;
    const wholeTableRows = options.wholeTableRows ?? 4_096;
    const target = await TargetDb.open(this.connector, this.opts);
    let source: SourceDb | undefined;
    let spares: SourceSpares | undefined;
    // Connections reading ahead on the source: settled (and closed) before this returns.
    const siblings: Promise<unknown>[] = [];
    try {
      // What earlier runs recorded tells which tables will be read ahead: their
      // connections open along with the main one.
      const known = await this.recorded(target);
      const ahead = TABLES.filter((t) => readsAhead(known.get(t.source), wholeTableRows));
      spares = SourceSpares.open(sourceUrl, ahead.length);
      source = await SourceDb.open(sourceUrl);
      const revision = await source.checkSchema();
      const [{ locked }] = await target.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1) AS locked',
        [IMPORT_LOCK_KEY],
      );
      if (!locked) throw importBusy();
      try {
        const [{ id: runId }] = await target.query<{ id: number }>(
          `INSERT INTO tahrir_import_runs (source) VALUES ($1) RETURNING id`,
          [source.url],
        );
        try {
          const summary = await this.sync(
            { source, spares, siblings, target },
            known,
            { ...options, wholeTableRows },
            progress,
          );
          const result: ImportSummary = {
            runId,
            source: source.url,
            revision,
            durationMs: Date.now() - started,
            ...summary,
          };
          await target.query(
            `UPDATE tahrir_import_runs SET status = 'succeeded', finished_on = now(), summary = $2 WHERE id = $1`,
            [runId, JSON.stringify(result)],
          );
          return result;
        } catch (err) {
          await target
            .query(
              `UPDATE tahrir_import_runs SET status = 'failed', finished_on = now(), summary = $2 WHERE id = $1`,
              [runId, JSON.stringify({ error: (err as Error).message })],
            )
            .catch(() => undefined);
          throw err;
        }
      } finally {
        await target
          .query('SELECT pg_advisory_unlock($1)', [IMPORT_LOCK_KEY])
          .catch(() => undefined);
      }
    } finally {
      await Promise.allSettled(siblings);
      await Promise.all([spares?.closeUntaken(), source?.close(), target.release()]);
    }
  }

  /** Where each table was left by earlier runs (none: nothing imported yet). */
  private async recorded(target: TargetDb): Promise<Map<string, State>> {
    const rows = await target.query<{
      source_table: string;
      buckets: number;
      derived_stale: boolean;
      source_system: string | null;
      source_xmin: string | null;
    }>(
      `SELECT source_table, buckets, derived_stale, source_system, source_xmin FROM tahrir_import_tables`,
    );
    return new Map(
      rows.map((r) => [
        r.source_table,
        {
          buckets: r.buckets,
          derivedStale: r.derived_stale,
          sourceSystem: r.source_system,
          sourceXmin: r.source_xmin,
        },
      ]),
    );
  }

  private async sync(
    { source, spares, siblings, target }: RunConnections,
    known: Map<string, State>,
    options: ImportOptions & { wholeTableRows: number },
    progress: ImportProgress,
  ): Promise<Omit<ImportSummary, 'runId' | 'source' | 'revision' | 'durationMs'>> {
    const batchSize = options.batchSize ?? 100_000;
    const bulkThreshold = options.bulkThreshold ?? 20_000;
    const idGap = options.idGap ?? 1_000_000;
    const { wholeTableRows } = options;
    // Only when some table is read ahead: exporting takes a round trip.
    const snapshot = spares.count > 0 ? await source.shareSnapshot() : null;
    const marks = await source.marks();
    const mode = known.size === 0 ? 'full' : 'incremental';
    const syncs = TABLES.map(
      (t) =>
        new TableSync(t, source, target, progress, {
          wholeTableRows,
          marks: options.compareHashes ? null : marks,
        }),
    );
    // The large tables' change-finding queries (the bulk of a catch-up's reading), each on
    // a connection of its own with the same snapshot, all at once, while this one stages
    // the small tables (without waiting for those connections to open). Where the server
    // will not share its snapshot, they run on this one.
    const queries = syncs.flatMap((s) =>
      s.changeQueries(known.get(s.t.source)).map((sql) => ({ table: s.t.source, sql })),
    );
    const opening = source.siblings(spares, snapshot);
    const prefetched = new Map<string, Promise<Buffer>[]>();
    queries.forEach(({ table, sql }, i) => {
      const rows = opening.then(async (opened) => {
        const sibling = opened[i];
        if (!sibling) return source.aggregate(sql);
        // Done with its one query: closed at once, off the run's path.
        return sibling.aggregate(sql).finally(() => sibling.close());
      });
      // Observed by stageChanges; a failure must not also surface as unhandled.
      rows.catch(() => undefined);
      siblings.push(rows);
      prefetched.set(table, [...(prefetched.get(table) ?? []), rows]);
    });
    await createRunTables(target);
    try {
      // Read and judge every table before writing anything (a conflict anywhere stops the
      // run with nothing written). Judging a table needs only the target as it is.
      const conflicts: ImportConflict[] = [];
      let total = 0;
      for (const s of waitingLast(syncs, (x) => prefetched.has(x.t.source))) {
        await s.stageChanges(known.get(s.t.source), prefetched.get(s.t.source));
        const found = await s.classify();
        conflicts.push(...found.conflicts);
        total += found.total;
      }
      // Reported in dependency order, whatever order the tables were judged in.
      const rank = (c: ImportConflict) => TABLES.findIndex((t) => t.source === c.table);
      conflicts.sort((a, b) => rank(a) - rank(b));
      if (total > 0) throw new ImportConflictError(conflicts.slice(0, 40), total);

      for (const s of [...syncs].reverse()) await s.applyDeletes();
      const canBulk = await this.canSwitchTriggers(target);
      const bulkTables: string[] = [];
      for (const s of syncs) {
        const bulk = canBulk && !!s.t.triggers && (await s.insertCount()) >= bulkThreshold;
        if (bulk) bulkTables.push(s.t.source);
        await s.applyUpserts({ batchSize, bulk });
      }

      // Planner statistics for the provenance rows after a large load (later runs look
      // rows up by key and bucket; stale statistics turn those lookups into scans).
      const written = syncs.reduce((a, s) => a + s.summary.inserted + s.summary.skipped, 0);
      if (written > 10_000) await target.query('ANALYZE tahrir_import_rows, tahrir_import_buckets');

      const derivedRebuilt = await this.rebuildIfStale(target, progress);
      // Where the next run can start looking for changes (see xid-changes.ts).
      await target.query(`UPDATE tahrir_import_tables SET source_system = $1, source_xmin = $2`, [
        marks.system,
        marks.xmin.toString(),
      ]);
      const sequences = await this.keepSequencesAhead(source, target, idGap);

      const skipped: SkippedRow[] = [];
      for (const s of syncs) skipped.push(...(await s.newlySkipped(100 - skipped.length)));
      const tables = syncs.map((s) => s.summary);
      const sum = (k: keyof Omit<TableSummary, 'table' | 'skippedTotal' | 'changesBy'>) =>
        tables.reduce((a, t) => a + t[k], 0);
      return {
        mode,
        tables,
        totals: {
          read: sum('read'),
          inserted: sum('inserted'),
          updated: sum('updated'),
          deleted: sum('deleted'),
          skipped: sum('skipped'),
          kept: sum('kept'),
        },
        skipped,
        bulkTables,
        derivedRebuilt,
        sequences,
      };
    } finally {
      for (const s of syncs) await s.dropTemp().catch(() => undefined);
      await dropRunTables(target).catch(() => undefined);
    }
  }

  /**
   * Switching the triggers off takes the tables' owner (ALTER TABLE ... DISABLE TRIGGER
   * USER; foreign keys stay checked), and so does accolades_rebuild_derived(), which
   * rebuilds award_tallies' indexes. A role that is not the owner keeps them on.
   */
  private async canSwitchTriggers(target: TargetDb): Promise<boolean> {
    const [{ ok }] = await target.query<{ ok: boolean }>(`
      SELECT bool_and(pg_has_role(current_user, c.relowner, 'USAGE')) AS ok
        FROM pg_class c WHERE c.oid IN ('persons'::regclass, 'assertions'::regclass, 'award_tallies'::regclass)`);
    return ok;
  }

  /** Recomputes counts, rank levels and period tallies after a load with triggers off. */
  private async rebuildIfStale(target: TargetDb, progress: ImportProgress): Promise<boolean> {
    const [{ stale }] = await target.query<{ stale: boolean }>(
      `SELECT coalesce(bool_or(derived_stale), false) AS stale FROM tahrir_import_tables`,
    );
    if (!stale) return false;
    progress.note('Recomputing badge counts, ranks and period leaderboards...');
    await target.transaction(async () => {
      // Millions of rows are grouped and indexed: room to do it in memory.
      await target.query(`SET LOCAL work_mem = '256MB'`);
      await target.query(`SET LOCAL maintenance_work_mem = '512MB'`);
      await target.query('SELECT accolades_rebuild_derived()');
      await target.query(
        `UPDATE tahrir_import_tables SET derived_stale = false WHERE derived_stale`,
      );
    });
    await target.query('ANALYZE persons, assertions, badges, person_levels, award_tallies');
    return true;
  }

  /**
   * Persons created in Accolades before the switch-over (first logins) must never take an
   * id Tahrir hands out later: every serial sequence is moved `idGap` past Tahrir's largest
   * id, on every run, so it stays ahead as Tahrir grows.
   */
  private async keepSequencesAhead(
    source: SourceDb,
    target: TargetDb,
    idGap: number,
  ): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const t of TABLES.filter((x) => x.serial)) {
      const col = t.serial!;
      const { rows } = await source.query<{ max: number | null }>(
        `SELECT max(${col})::int AS max FROM ${t.source}`,
      );
      const max = rows[0].max;
      if (max === null) continue;
      const [{ seq }] = await target.query<{ seq: string }>(
        `SELECT pg_get_serial_sequence($1, $2) AS seq`,
        [t.target, col],
      );
      const [{ last_value: last, is_called: called }] = await target.query<{
        last_value: string;
        is_called: boolean;
      }>(`SELECT last_value, is_called FROM ${seq}`);
      const next = called ? Number(last) + 1 : Number(last);
      const wanted = max + idGap + 1;
      if (next < wanted) {
        await target.query(`SELECT setval($1, $2, false)`, [seq, wanted]);
        out[t.target] = wanted;
      }
    }
    return out;
  }
}
