import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { ENV } from '../../config/config.module';
import type { Env } from '../../config/env.schema';

interface Entry {
  stamp: string;
  status: number;
  type: string;
  body: string | Buffer;
}

const MAX_BODY = 1_000_000;
/** Bound on the bytes kept, whatever the entry count (query strings make URLs endless). */
const MAX_BYTES = 64 * 1024 * 1024;
const PAGE_CACHE_SEEN = Symbol('pageCacheSeen');

/**
 * Anonymous GET responses of the pages door (pages, feeds, Tahrir JSON), kept in memory
 * and served again while the database's change stamp (table site_changes, moved by
 * triggers in the transaction of every write that pages show) has not moved. Correct after
 * any award, revocation, opt-out or edit: the stamp is read before the page is built and
 * an entry is only used when it was built under the current stamp. Costs one primary-key
 * read per request; every replica keeps its own cache, the stamp is shared.
 *
 * Requests with a viewer (`req.user`, set by login) are never cached or served from cache.
 */
@Injectable()
export class PageCache implements NestMiddleware {
  private readonly entries = new Map<string, Entry>();
  /** Renders under way, so that concurrent misses of one page wait for one render. */
  private readonly pending = new Map<string, { stamp: string; done: Promise<Entry | null> }>();
  private readonly max: number;
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(
    private readonly ds: DataSource,
    @Inject(ENV) env: Env,
  ) {
    this.max = env.ACCOLADES_PAGE_CACHE;
  }

  async stamp(): Promise<string> {
    const [row] = await this.ds.query(`SELECT stamp::text AS stamp FROM site_changes WHERE id = 1`);
    return String(row?.stamp ?? '0');
  }

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    if (this.max <= 0 || req.method !== 'GET' || (req as { user?: unknown }).user) return next();
    // Nest applies route middleware once per matching route pattern: /report/2026/week/48
    // matches two. Only the first application may act (a second would wait on itself).
    const seen = req as Request & { [PAGE_CACHE_SEEN]?: boolean };
    if (seen[PAGE_CACHE_SEEN]) return next();
    seen[PAGE_CACHE_SEEN] = true;
    let stamp: string;
    try {
      stamp = await this.stamp();
    } catch (err) {
      return next(err);
    }
    const key = req.originalUrl;
    const hit = this.entries.get(key);
    if (hit && hit.stamp === stamp) {
      this.hits++;
      // Most recently used last: Map keeps insertion order.
      this.entries.delete(key);
      this.entries.set(key, hit);
      res.status(hit.status).type(hit.type).setHeader('X-Page-Cache', 'hit');
      res.send(hit.body);
      return;
    }
    const inFlight = this.pending.get(key);
    if (inFlight && inFlight.stamp === stamp) {
      const entry = await inFlight.done;
      if (entry) {
        this.hits++;
        res.status(entry.status).type(entry.type).setHeader('X-Page-Cache', 'shared');
        res.send(entry.body);
        return;
      }
    }
    this.misses++;
    res.setHeader('X-Page-Cache', 'miss');
    let settle: (e: Entry | null) => void = () => undefined;
    if (!inFlight || inFlight.stamp !== stamp) {
      const done = new Promise<Entry | null>((resolve) => (settle = resolve));
      this.pending.set(key, { stamp, done });
      const release = () => {
        settle(null);
        if (this.pending.get(key)?.done === done) this.pending.delete(key);
      };
      res.once('finish', release);
      res.once('close', release);
    }
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      // Express sets text/html itself for a string sent without a type (as views are).
      const type =
        String(res.getHeader('Content-Type') ?? '') ||
        (typeof body === 'string' ? 'text/html; charset=utf-8' : '');
      if (
        res.statusCode === 200 &&
        (typeof body === 'string' || Buffer.isBuffer(body)) &&
        body.length <= MAX_BODY &&
        type
      ) {
        const entry = { stamp, status: res.statusCode, type, body };
        this.remember(key, entry);
        settle(entry);
      }
      return send(body);
    };
    next();
  }

  private remember(key: string, entry: Entry): void {
    this.forget(key);
    this.entries.set(key, entry);
    this.bytes += entry.body.length;
    while (this.entries.size > this.max || this.bytes > MAX_BYTES) {
      this.forget(this.entries.keys().next().value as string);
    }
  }

  private forget(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.bytes -= old.body.length;
    this.entries.delete(key);
  }
}
