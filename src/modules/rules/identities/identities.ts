import { Logger } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { DataSource, EntityManager } from 'typeorm';
import type { IdentityKind, IdentityPort } from '../engine';

/** fedbadges' defaults for the converters that only read a name out of a URL. */
const OPENID = /^https?:\/\/([a-z][a-z0-9]+)\.id\.fedoraproject\.org\/?$/;
const DISTGIT = /^https?:\/\/src\.fedoraproject\.org\/user\/([a-z][a-z0-9]+)\/?$/;
const GITHUB = /^https?:\/\/api\.github\.com\/users\/([a-z][a-z0-9-]+)$/i;

/**
 * What can be known without asking anyone (as fedbadges' converters did): OpenID and
 * dist-git URLs carry the account name; a Kerberos principal `name/host` gives `name`; a
 * fedoraproject.org address is the account's own.
 */
export function offlineIdentity(kind: IdentityKind, value: string): string | null {
  switch (kind) {
    case 'openid':
      return OPENID.exec(value)?.[1] ?? null;
    case 'distgit':
      return DISTGIT.exec(value)?.[1] ?? null;
    case 'krb':
      return value.includes('/') ? value.split('/')[0] : null;
    case 'email':
      return value.toLowerCase().endsWith('@fedoraproject.org') ? value.split('@')[0] : null;
    default:
      return null;
  }
}

/** The `identities` table: known mappings, maintained by the operators. */
export class LocalIdentities {
  constructor(private readonly ds: DataSource) {}

  async lookup(
    kind: IdentityKind,
    value: string,
    m: EntityManager = this.ds.manager,
  ): Promise<string | null> {
    const rows = (await m.query(`SELECT username FROM identities WHERE kind = $1 AND value = $2`, [
      kind,
      value,
    ])) as { username: string }[];
    return rows[0]?.username ?? null;
  }

  async set(kind: IdentityKind, value: string, username: string): Promise<void> {
    await this.ds.query(
      `INSERT INTO identities (kind, value, username) VALUES ($1, $2, $3)
       ON CONFLICT (kind, value) DO UPDATE SET username = excluded.username`,
      [kind, value, username],
    );
  }
}

interface FasjsonPage {
  result?: { username?: string }[];
}

/**
 * FASJSON's user search (`/v1/search/users/?<field>=<value>`), as fedbadges used it: IRC
 * and Matrix nicknames, e-mail addresses, GitHub accounts. A short timeout and a cache:
 * a slow or absent FASJSON delays a message by at most the timeout, and never fails it
 * (the name then passes unchanged, as in fedbadges).
 */
export class FasjsonIdentities {
  private readonly log = new Logger('Fasjson');
  private readonly cache = new LRUCache<string, { username: string | null }>({
    max: 10_000,
    ttl: 60 * 60 * 1000,
  });

  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 2_000,
  ) {}

  async lookup(kind: IdentityKind, value: string): Promise<string | null> {
    const searches = this.searchesFor(kind, value);
    if (!searches.length) return null;
    const cacheKey = `${kind}\0${value}`;
    const hit = this.cache.get(cacheKey);
    if (hit) return hit.username;
    for (const query of searches) {
      const username = await this.search(query);
      if (username === undefined) return null; // FASJSON failed: do not cache
      if (username) {
        this.cache.set(cacheKey, { username });
        return username;
      }
    }
    this.cache.set(cacheKey, { username: null });
    return null;
  }

  private searchesFor(kind: IdentityKind, value: string): Record<string, string>[] {
    switch (kind) {
      case 'nick':
        return value.includes(':/')
          ? [{ ircnick: value }]
          : [{ ircnick: `matrix:/${value}` }, { ircnick: `irc:/${value}` }];
      case 'email':
        return [{ email: value }];
      case 'github': {
        const name = GITHUB.exec(value)?.[1] ?? (/^[a-z0-9-]+$/i.test(value) ? value : null);
        return name ? [{ github_username__exact: name }] : [];
      }
      default:
        return [];
    }
  }

  /** The first user found, null when none, undefined when FASJSON could not answer. */
  private async search(query: Record<string, string>): Promise<string | null | undefined> {
    const url = new URL(
      'v1/search/users/',
      this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`,
    );
    for (const [k, v] of Object.entries({ ...query, page_size: '1', page_number: '1' }))
      url.searchParams.set(k, v);
    try {
      const res = await fetch(url, {
        headers: { accept: 'application/json', 'X-Fields': 'username' },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (res.status === 404) return null;
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const page = (await res.json()) as FasjsonPage;
      return page.result?.[0]?.username ?? null;
    } catch (err) {
      this.log.warn(`FASJSON search ${url.search} failed: ${(err as Error).message}`);
      return undefined;
    }
  }
}

/**
 * The identity source of the *2fas converters: offline rules, then the local table, then
 * FASJSON when configured. Unknown: null (the engine passes the name unchanged).
 */
export class Identities implements IdentityPort {
  constructor(
    private readonly local: LocalIdentities,
    private readonly fasjson: FasjsonIdentities | null,
    private readonly m?: EntityManager,
  ) {}

  /** The same source, reading the local table inside a transaction. */
  within(m: EntityManager): Identities {
    return new Identities(this.local, this.fasjson, m);
  }

  async toFas(kind: IdentityKind, value: string): Promise<string | null> {
    const offline = offlineIdentity(kind, value);
    if (offline) return offline;
    const local = await this.local.lookup(kind, value, this.m);
    if (local) return local;
    return this.fasjson ? this.fasjson.lookup(kind, value) : null;
  }
}
