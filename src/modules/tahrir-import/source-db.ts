import type { Readable } from 'node:stream';
import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { redact } from '../../database/database';
import { trace } from './target-db';
import { schemaMismatch, sourceUnreachable, wrongSchemaVersion } from './tahrir-import.errors';
import {
  type HashScheme,
  hashScheme,
  requiredSourceColumns,
  SUPPORTED_REVISIONS,
} from './tahrir-tables';

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

  static async open(url: string, snapshot?: string): Promise<SourceDb> {
    const shown = redact(url);
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
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      if (snapshot) await client.query(`SET TRANSACTION SNAPSHOT '${snapshot.replace(/'/g, '')}'`);
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
   * A second connection that sees exactly the same snapshot (to read in parallel), or null
   * when the server will not share it.
   */
  async sibling(url: string): Promise<SourceDb | null> {
    try {
      const { rows } = await this.client.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
      return await SourceDb.open(url, rows[0].id);
    } catch {
      return null;
    }
  }

  /**
   * The rows of a per-bucket hash aggregate (TableSync.bucketHashQuery) as COPY text, in
   * memory (65,536 buckets are about 2 MB). For that statement only: room for a hash table
   * of every bucket (about 11 MB for 65,536), and no sorted aggregation, which the planner
   * would otherwise pick for what it takes for a million groups.
   */
  async bucketHashes(sql: string): Promise<Buffer> {
    await this.query(`SET LOCAL work_mem = '64MB'`);
    await this.query(`SET LOCAL enable_sort = off`);
    try {
      return await this.copyOutToBuffer(sql);
    } finally {
      await this.query(`SET LOCAL work_mem TO DEFAULT`).catch(() => undefined);
      await this.query(`SET LOCAL enable_sort TO DEFAULT`).catch(() => undefined);
    }
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
    const { rows: cols } = await this.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = ANY($1)`,
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
