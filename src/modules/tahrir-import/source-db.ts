import type { Readable } from 'node:stream';
import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { redact } from '../../database/redact';
import { trace } from './target-db';
import { schemaMismatch, sourceUnreachable, wrongSchemaVersion } from './tahrir-import.errors';
import {
  type HashScheme,
  hashScheme,
  requiredSourceColumns,
  SUPPORTED_REVISIONS,
} from './tahrir-tables';

export interface SourceMarks {
  system: string | null;
  xmin: bigint;
  xmax: bigint;
}

/**
 * A read-only view of a Tahrir database: one connection, one REPEATABLE READ transaction
 * for the whole run, so every table is read from the same snapshot while Tahrir keeps
 * writing.
 */
export class SourceDb {
  private constructor(
    private readonly client: Client,
    readonly url: string,
    readonly hash: HashScheme,
  ) {}

  static async open(url: string): Promise<SourceDb> {
    const shown = redact(url);
    const client = await connectClient(url);
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { rows } = await client.query<{ v: string }>(
        `SELECT current_setting('server_version_num') AS v`,
      );
      return new SourceDb(client, shown, hashScheme(Number(rows[0].v)));
    } catch (err) {
      await client.end().catch(() => undefined);
      throw sourceUnreachable(shown, (err as Error).message);
    }
  }

  /**
   * Exports this transaction's snapshot for siblings to join (null when the server will
   * not: a role without the right to pg_export_snapshot, say). Called before anything is
   * read: the failed call ends the transaction, and the one started again in its place must
   * be the snapshot every table is read from.
   */
  async shareSnapshot(): Promise<string | null> {
    try {
      const { rows } = await this.client.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
      return rows[0].id;
    } catch {
      await this.client.query('ROLLBACK');
      await this.client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      return null;
    }
  }

  /**
   * Other connections that see exactly the same snapshot (to read in parallel), made of
   * spare connections opened ahead; fewer than offered (none) when the snapshot is not
   * shared (see shareSnapshot) or a spare fails to join it (those are closed).
   */
  async siblings(spares: SourceSpares, snapshot: string | null): Promise<SourceDb[]> {
    const clients = await spares.take();
    if (clients.length === 0) return [];
    const joined = await Promise.allSettled(
      clients.map(async (client) => {
        if (!snapshot) throw new Error('no snapshot to share');
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        await client.query(`SET TRANSACTION SNAPSHOT '${snapshot.replace(/'/g, '')}'`);
        return new SourceDb(client, this.url, this.hash);
      }),
    );
    return joined.flatMap((j, i) => {
      if (j.status === 'fulfilled') return [j.value];
      clients[i].end().catch(() => undefined);
      return [];
    });
  }

  /**
   * The rows of an aggregate over a whole table (a per-bucket hash or count, see TableSync
   * and xid-changes.ts) as COPY text, in memory (65,536 buckets are about 2 MB). For that
   * statement only: room for a hash table of every group (about 11 MB for 65,536), no
   * sorted aggregation (which the planner picks when it takes every key for its own group),
   * and no JIT (compiling costs more than it saves on a scan with a few operations per row;
   * the server's default would compile these, their estimated cost being high).
   */
  async aggregate(sql: string): Promise<Buffer> {
    const settings = { work_mem: `'64MB'`, enable_sort: 'off', jit: 'off' };
    for (const [name, value] of Object.entries(settings)) {
      await this.query(`SET LOCAL ${name} = ${value}`);
    }
    try {
      return await this.copyOutToBuffer(sql);
    } finally {
      for (const name of Object.keys(settings)) {
        await this.query(`SET LOCAL ${name} TO DEFAULT`).catch(() => undefined);
      }
    }
  }

  /**
   * Where this snapshot stands: the server and database (null when the server does not
   * say), and the snapshot's transaction id bounds (64-bit, as decimal strings).
   */
  async marks(): Promise<SourceMarks> {
    const { rows } = await this.query<{ xmin: string; xmax: string; db: string }>(
      `SELECT txid_snapshot_xmin(txid_current_snapshot())::text AS xmin,
              txid_snapshot_xmax(txid_current_snapshot())::text AS xmax,
              (SELECT oid::text FROM pg_database WHERE datname = current_database()) AS db`,
    );
    // A server that hides its identity (no pg_control_system, or not for this role) gets
    // its rows compared by hash every time. (Asked first: an error would end the snapshot.)
    const { rows: can } = await this.query<{ ok: boolean }>(
      `SELECT to_regprocedure('pg_control_system()') IS NOT NULL
              AND has_function_privilege('pg_control_system()', 'EXECUTE') AS ok`,
    );
    let system: string | null = null;
    if (can[0].ok) {
      const { rows: ids } = await this.query<{ id: string }>(
        `SELECT system_identifier::text AS id FROM pg_control_system()`,
      );
      system = `${ids[0].id}/${rows[0].db}`;
    }
    return { system, xmin: BigInt(rows[0].xmin), xmax: BigInt(rows[0].xmax) };
  }

  /** Checks the alembic revision and the columns the import reads. Returns the revision. */
  async checkSchema(): Promise<string> {
    const supported = Object.keys(SUPPORTED_REVISIONS);
    const { rows: hasTable } = await this.query<{ ok: boolean }>(
      `SELECT to_regclass('alembic_version') IS NOT NULL AS ok`,
    );
    if (!hasTable[0].ok) throw wrongSchemaVersion('(no alembic_version table)', supported);
    const { rows } = await this.query<{ version_num: string }>(
      'SELECT version_num FROM alembic_version',
    );
    const found = rows.map((r) => r.version_num);
    if (found.length !== 1 || !supported.includes(found[0])) {
      throw wrongSchemaVersion(found.join(', ') || '(empty alembic_version)', supported);
    }
    const required = requiredSourceColumns();
    // From the catalog: information_schema's view costs 20 ms, on the way to every read.
    const { rows: cols } = await this.query<{ table_name: string; column_name: string }>(
      `SELECT c.relname AS table_name, a.attname AS column_name
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
          AND c.relname = ANY($1) AND a.attnum > 0 AND NOT a.attisdropped`,
      [Object.keys(required)],
    );
    const present = new Set(cols.map((c) => `${c.table_name}.${c.column_name}`));
    const missing = Object.entries(required).flatMap(([t, cs]) =>
      cs.map((c) => `${t}.${c}`).filter((tc) => !present.has(tc)),
    );
    if (missing.length) throw schemaMismatch(missing);
    return found[0];
  }

  async query<R extends object>(sql: string, params: unknown[] = []): Promise<{ rows: R[] }> {
    try {
      return await this.client.query<R>(sql, params);
    } catch (err) {
      throw this.translate(err);
    }
  }

  /** The rows of a query as COPY text. */
  copyOut(sql: string): Readable {
    return this.client.query(copyTo(`COPY (${sql}) TO STDOUT`));
  }

  /** The rows of a query as COPY text, in memory (for small results read ahead). */
  private async copyOutToBuffer(sql: string): Promise<Buffer> {
    const started = Date.now();
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of this.copyOut(sql)) chunks.push(chunk as Buffer);
    } catch (err) {
      throw this.translate(err);
    }
    trace(sql, started, 'source');
    return Buffer.concat(chunks);
  }

  /** Connection failures become "source unreachable"; SQL errors stay what they are. */
  translate(err: unknown): Error {
    const e = err as { code?: string; message?: string };
    const lost =
      !e.code ||
      e.code.startsWith('08') ||
      e.code === '57P01' ||
      /terminat|Connection|ECONN/i.test(e.message ?? '');
    return lost ? sourceUnreachable(this.url, e.message ?? String(err)) : (err as Error);
  }

  async close(): Promise<void> {
    await this.client.query('ROLLBACK').catch(() => undefined);
    await this.client.end().catch(() => undefined);
  }
}

/** A connection to Tahrir with the session settings every read relies on. */
async function connectClient(url: string): Promise<Client> {
  const client = new Client({
    connectionString: url,
    connectionTimeoutMillis: 10_000,
    application_name: 'accolades-import',
  });
  // A dropped connection must fail the current query, not crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query(`SET TimeZone = 'UTC'`);
    await client.query(`SET DateStyle = 'ISO, YMD'`);
    await client.query(`SET IntervalStyle = 'postgres'`);
    await client.query(`SET extra_float_digits = 1`);
    return client;
  } catch (err) {
    await client.end().catch(() => undefined);
    throw sourceUnreachable(redact(url), (err as Error).message);
  }
}

/**
 * Connections to Tahrir opened at the start of a run, while the main one opens, to become
 * its siblings later (a connection takes 15 to 50 ms to open here: the reads ahead start
 * that much sooner). Those that fail to open are left out; those never taken are closed.
 */
export class SourceSpares {
  private taken = false;

  private constructor(
    private readonly clients: Promise<Client[]>,
    /** How many were asked for. */
    readonly count: number,
  ) {}

  static open(url: string, n: number): SourceSpares {
    const opening = Promise.allSettled(Array.from({ length: n }, () => connectClient(url)));
    return new SourceSpares(
      opening.then((all) => all.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []))),
      n,
    );
  }

  take(): Promise<Client[]> {
    this.taken = true;
    return this.clients;
  }

  async closeUntaken(): Promise<void> {
    if (this.taken) return;
    this.taken = true;
    await Promise.all((await this.clients).map((c) => c.end().catch(() => undefined)));
  }
}
