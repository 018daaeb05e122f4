import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import session from 'express-session';
import { DataSource } from 'typeorm';

const PRUNE_EVERY_MS = 15 * 60 * 1000;

/**
 * express-session's store over the service's own DataSource (table http_sessions), so
 * sessions survive restarts and are shared by replicas without a second connection pool
 * (the embedded database has exactly one connection). Expired rows are ignored on read and
 * pruned every 15 minutes.
 */
@Injectable()
export class DbSessionStore extends session.Store implements OnModuleDestroy {
  private readonly logger = new Logger('Sessions');
  private pruner: NodeJS.Timeout | null = null;

  constructor(private readonly ds: DataSource) {
    super();
  }

  /** Starts pruning (not in the constructor: the CLI builds the module graph too). */
  startPruning(): void {
    if (this.pruner) return;
    this.pruner = setInterval(() => {
      this.prune().catch((err) => this.logger.warn({ err }, 'pruning sessions failed'));
    }, PRUNE_EVERY_MS);
    this.pruner.unref();
  }

  onModuleDestroy(): void {
    if (this.pruner) clearInterval(this.pruner);
    this.pruner = null;
  }

  async prune(): Promise<number> {
    const res: [unknown[], number] = await this.ds.query(
      `DELETE FROM http_sessions WHERE expires_at <= now()`,
    );
    return Array.isArray(res) ? Number(res[1] ?? 0) : 0;
  }

  override get(sid: string, cb: (err: unknown, s?: session.SessionData | null) => void): void {
    this.ds
      .query(`SELECT sess FROM http_sessions WHERE sid = $1 AND expires_at > now()`, [sid])
      .then((rows: { sess: session.SessionData }[]) => cb(null, rows[0]?.sess ?? null), cb);
  }

  override set(sid: string, s: session.SessionData, cb?: (err?: unknown) => void): void {
    this.ds
      .query(
        `INSERT INTO http_sessions (sid, sess, expires_at) VALUES ($1, $2::jsonb, $3)
         ON CONFLICT (sid) DO UPDATE SET sess = EXCLUDED.sess, expires_at = EXCLUDED.expires_at`,
        [sid, JSON.stringify(s), expiry(s)],
      )
      .then(() => cb?.(), cb);
  }

  override destroy(sid: string, cb?: (err?: unknown) => void): void {
    this.ds.query(`DELETE FROM http_sessions WHERE sid = $1`, [sid]).then(() => cb?.(), cb);
  }

  override touch(sid: string, s: session.SessionData, cb?: (err?: unknown) => void): void {
    this.ds
      .query(`UPDATE http_sessions SET expires_at = $2 WHERE sid = $1`, [sid, expiry(s)])
      .then(() => cb?.(), cb);
  }
}

function expiry(s: session.SessionData): Date {
  const e = s.cookie?.expires;
  return e ? new Date(e) : new Date(Date.now() + 24 * 3600 * 1000);
}
