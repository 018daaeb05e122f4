import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import * as lockfile from 'proper-lockfile';

/**
 * The embedded default: PostgreSQL 18 compiled to WebAssembly (PGlite), in this process,
 * exposed on a loopback port so the ordinary `pg` driver, TypeORM and the same migrations
 * and queries run on it unchanged.
 *
 * PGlite is a single backend session. Its socket server interleaves protocol messages of
 * different connections when a message spans several TCP reads (seen here: one of 400
 * concurrent large queries got another query's parameter), so exactly one connection is
 * allowed and the pool that uses it must have size 1.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    private readonly releaseLock: () => Promise<void>,
    readonly dataDir: string,
  ) {}

  static async start(dataDir: string): Promise<EmbeddedPostgres> {
    const dir = resolve(dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(dir, { stale: 15_000, update: 5_000 });
    } catch {
      throw new Error(
        `The embedded database in ${dir} is in use by another process (only one process may open it). ` +
          'Stop the other process, use another ACCOLADES_DATA_DIR, or set DATABASE_URL to a PostgreSQL server.',
      );
    }
    try {
      const db = await PGlite.create({ dataDir: dir });
      const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
      await server.start();
      return new EmbeddedPostgres(db, server, release, dir);
    } catch (err) {
      await release();
      throw err;
    }
  }

  /** A connection URL for the single permitted connection. */
  get url(): string {
    return `postgres://postgres@${this.server.getServerConn()}/postgres?sslmode=disable`;
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
    await this.releaseLock();
  }
}
