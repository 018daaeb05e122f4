import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';
import { CopyRowBatcher } from './copy-text';

/** A connection of its own to the Accolades database, for one run. */
export interface TargetConnection {
  client: ClientBase;
  release(): Promise<void>;
}

/** Where the import's target connection comes from: the service's pool, or a plain client. */
export type TargetConnector = DataSource | (() => Promise<TargetConnection>);

async function connect(target: TargetConnector): Promise<TargetConnection> {
  if (typeof target === 'function') return target();
  const runner = target.createQueryRunner();
  await runner.connect();
  const client = (runner as unknown as { databaseConnection: ClientBase }).databaseConnection;
  return { client, release: () => runner.release() };
}

/**
 * The Accolades database as the import uses it: one dedicated connection for the whole run
 * (temporary staging tables live in its session; on the embedded database it is the only
 * connection there is), with explicit transactions.
 */
export class TargetDb {
  private constructor(
    private readonly connection: TargetConnection,
    private readonly client: ClientBase,
    /** COPY FROM STDIN works (PostgreSQL); the embedded database takes batched inserts. */
    readonly canCopyIn: boolean,
  ) {}

  static async open(target: TargetConnector, opts: { canCopyIn: boolean }): Promise<TargetDb> {
    const connection = await connect(target);
    const db = new TargetDb(connection, connection.client, opts.canCopyIn);
    // Hashes of target rows are computed from their text: fix how values render.
    await db.query(`SET TimeZone = 'UTC'`);
    await db.query(`SET DateStyle = 'ISO, YMD'`);
    await db.query(`SET IntervalStyle = 'postgres'`);
    await db.query(`SET extra_float_digits = 1`);
    // Many short statements over large tables: compiling them costs more than it saves.
    await db.query(`SET jit = off`);
    // A commit need not wait for its WAL flush (13 to 17 ms each here): a crash loses at
    // most the last transactions, whole and in order, provenance rows with the rows they
    // record, and the next run writes them again.
    await db.query(`SET synchronous_commit = off`);
    return db;
  }

  async query<R = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
    const started = Date.now();
    const res = await this.client.query(sql, params);
    trace(sql, started);
    return res.rows as R[];
  }

  /** Rows changed by a statement. */
  async exec(sql: string, params: unknown[] = []): Promise<number> {
    const started = Date.now();
    const res = await this.client.query(sql, params);
    trace(sql, started);
    return res.rowCount ?? 0;
  }

  /** `fn` in a transaction (`mode`: e.g. `ISOLATION LEVEL REPEATABLE READ READ ONLY`). */
  async transaction<T>(fn: () => Promise<T>, mode = ''): Promise<T> {
    await this.client.query(`BEGIN ${mode}`);
    try {
      const out = await fn();
      await this.client.query('COMMIT');
      return out;
    } catch (err) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  /**
   * Loads COPY text rows into a table's first columns. `types` are the columns' types, used
   * by the batched-insert path to cast the text values.
   */
  async copyIn(
    table: string,
    columns: { name: string; type: string }[],
    rows: Readable,
    onRows: (n: number) => void,
  ): Promise<void> {
    const list = columns.map((c) => c.name).join(', ');
    if (this.canCopyIn) {
      const sink = this.client.query(copyFrom(`COPY ${table} (${list}) FROM STDIN`));
      await pipeline(rows, lineCounter(onRows), sink);
      return;
    }
    const params = columns.map((_, i) => `$${i + 1}::text[]`).join(', ');
    const casts = columns.map((c, i) => `u.c${i}::${c.type}`).join(', ');
    const names = columns.map((_, i) => `c${i}`).join(', ');
    const sql = `INSERT INTO ${table} (${list}) SELECT ${casts} FROM unnest(${params}) AS u(${names})`;
    const batcher = new CopyRowBatcher(2_000);
    const insert = async (batch: (string | null)[][]) => {
      const arrays = columns.map((_, i) => batch.map((r) => r[i]));
      await this.client.query(sql, arrays);
      onRows(batch.length);
    };
    const done = pipeline(rows, batcher);
    for await (const batch of batcher) await insert(batch as (string | null)[][]);
    await done;
  }

  async release(): Promise<void> {
    // The connection may go back to the service's pool: its commits wait for the disk.
    await this.client.query('RESET synchronous_commit').catch(() => undefined);
    await this.connection.release();
  }
}

/**
 * ACCOLADES_IMPORT_TRACE=1 prints every statement on the target with when it ended (ms since
 * the process started) and how long it took, on stderr: what to look at when a run is slow.
 */
const TRACE = process.env.ACCOLADES_IMPORT_TRACE === '1';

export function trace(sql: string, started: number, where = 'sql'): void {
  if (!TRACE) return;
  process.stderr.write(
    `[${where} at ${Math.round(performance.now())} ms took ${Date.now() - started} ms] ${sql.replace(/\s+/g, ' ').trim().slice(0, 200)}\n`,
  );
}

/** Counts the rows (lines) of a COPY text stream as it passes. */
function lineCounter(onRows: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      let n = 0;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
      if (n) onRows(n);
      done(null, chunk);
    },
  });
}
