import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * Makes databases of a local PostgreSQL server "cold": their files leave the operating
 * system's page cache (POSIX_FADV_DONTNEED, which `dd iflag=nocache` asks for), as they do
 * on a machine that reclaims memory it finds idle (this VM kind does: a DAMON `pageout`
 * scheme). PostgreSQL's own shared buffers keep what they hold, as they would.
 *
 * Needs the server's data directory on this machine, readable (`open` says why not
 * otherwise), and coreutils' dd.
 */
export class PageCache {
  private constructor(
    private readonly adminUrl: string,
    private readonly dataDir: string,
  ) {}

  static async open(adminUrl: string): Promise<PageCache | string> {
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ dir: string }>(
        `SELECT current_setting('data_directory') AS dir`,
      );
      const base = join(rows[0].dir, 'base');
      accessSync(base, constants.R_OK | constants.X_OK);
      return new PageCache(adminUrl, rows[0].dir);
    } catch (err) {
      return `no access to the server's data directory (${(err as Error).message})`;
    } finally {
      await admin.end();
    }
  }

  /** Writes every dirty page out (checkpoint, then sync), then drops the databases' pages. */
  async evict(databases: string[]): Promise<void> {
    const admin = new Client({ connectionString: this.adminUrl });
    await admin.connect();
    try {
      await admin.query('CHECKPOINT');
      const { rows } = await admin.query<{ oid: number }>(
        `SELECT oid FROM pg_database WHERE datname = ANY($1)`,
        [databases],
      );
      execFileSync('sync');
      for (const { oid } of rows) {
        execFileSync('sh', [
          '-c',
          'for f in "$1"/*; do dd if="$f" iflag=nocache count=0 status=none; done',
          'evict',
          join(this.dataDir, 'base', String(oid)),
        ]);
      }
    } finally {
      await admin.end();
    }
  }
}
