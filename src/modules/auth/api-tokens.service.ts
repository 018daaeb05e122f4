import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { forbidden, invalid } from '../../common/errors/domain-error';
import { AuditService } from './audit.service';
import { tokenNotFound } from './auth.errors';
import { actorName, type Principal, type Scope, SCOPES } from './principal';

/** What a token is called where it is listed; the secret itself is never stored. */
export interface ApiTokenInfo {
  id: number;
  name: string;
  scopes: Scope[];
  createdOn: Date;
  expiresOn: Date | null;
  lastUsedOn: Date | null;
  revokedOn: Date | null;
}

export interface NewApiToken {
  name: string;
  scopes: Scope[];
  expiresOn?: Date | null;
}

/** Prefix of personal tokens, so a leaked one is recognisable (and greppable). */
export const TOKEN_PREFIX = 'acc_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Personal API tokens: created with a name, scopes and an optional expiry, shown once,
 * kept as their SHA-256 (a token is 256 random bits, so a plain hash is enough: there is
 * nothing to guess), used as `Authorization: Bearer`, revoked by their owner or an admin.
 */
@Injectable()
export class ApiTokensService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
  ) {}

  /**
   * A new token for the calling person. The new token may not do more than the caller:
   * its scopes must be among the caller's own.
   */
  async create(caller: Principal, t: NewApiToken): Promise<{ token: string; info: ApiTokenInfo }> {
    if (caller.personId === null) {
      throw forbidden('TOKEN.NO_PERSON', 'Only a person can own API tokens.');
    }
    const name = t.name.trim();
    const fields: { field: string; errors: string[] }[] = [];
    if (!name || name.length > 100) {
      fields.push({ field: 'name', errors: ['A name of 1 to 100 characters is required.'] });
    }
    const scopes = [...new Set(t.scopes)];
    if (!scopes.length || scopes.some((s) => !SCOPES.includes(s))) {
      fields.push({ field: 'scopes', errors: [`Choose one or more of: ${SCOPES.join(', ')}.`] });
    } else if (scopes.some((s) => !caller.scopes.includes(s))) {
      fields.push({
        field: 'scopes',
        errors: [`You may only give scopes you have yourself: ${caller.scopes.join(', ')}.`],
      });
    }
    if (t.expiresOn && t.expiresOn.getTime() <= Date.now()) {
      fields.push({ field: 'expiresOn', errors: ['The expiry must be in the future.'] });
    }
    if (fields.length) throw invalid('TOKEN.INVALID', 'The token was not created.', fields);
    scopes.sort((a, b) => SCOPES.indexOf(a) - SCOPES.indexOf(b));

    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const info = await this.ds.transaction(async (m) => {
      const [row]: RawToken[] = await m.query(
        `INSERT INTO api_tokens (person_id, name, token_hash, scopes, expires_on)
         VALUES ($1, $2, $3, $4::text[], $5) RETURNING *`,
        [caller.personId, name, hashToken(token), scopes, t.expiresOn ?? null],
      );
      await this.audit.record(
        {
          actor: actorName(caller),
          action: 'token.create',
          subject: caller.nickname ?? String(caller.personId),
          details: { tokenId: row.id, name, scopes, expiresOn: t.expiresOn ?? null },
        },
        m,
      );
      return toInfo(row);
    });
    return { token, info };
  }

  /** The caller's own tokens (automation with the bootstrap token has none). */
  listFor(caller: Principal): Promise<ApiTokenInfo[]> {
    return caller.personId === null ? Promise.resolve([]) : this.list(caller.personId);
  }

  /** A person's tokens, newest first (revoked ones included, marked). */
  async list(personId: number, m: EntityManager = this.ds.manager): Promise<ApiTokenInfo[]> {
    const rows: RawToken[] = await m.query(
      `SELECT * FROM api_tokens WHERE person_id = $1 ORDER BY created_on DESC, id DESC`,
      [personId],
    );
    return rows.map(toInfo);
  }

  /** Revokes one of the caller's tokens (an admin may revoke anyone's). */
  async revoke(caller: Principal, id: number): Promise<ApiTokenInfo> {
    return this.ds.transaction(async (m) => {
      const [row]: (RawToken & { nickname: string | null })[] = await m.query(
        `SELECT t.*, p.nickname FROM api_tokens t JOIN persons p ON p.id = t.person_id
          WHERE t.id = $1 FOR UPDATE OF t`,
        [id],
      );
      if (!row || (row.person_id !== caller.personId && !caller.isAdmin)) throw tokenNotFound(id);
      if (row.revoked_on) return toInfo(row);
      const [updated]: RawToken[] = await m.query(
        `UPDATE api_tokens SET revoked_on = now() WHERE id = $1 RETURNING *`,
        [id],
      );
      await this.audit.record(
        {
          actor: actorName(caller),
          action: 'token.revoke',
          subject: row.nickname ?? String(row.person_id),
          details: { tokenId: id, name: row.name },
        },
        m,
      );
      return toInfo(updated);
    });
  }

  /**
   * The principal behind a personal token, or null when it is unknown, revoked or expired.
   * The admin scope only counts while the owner is an admin (as of their last login).
   */
  async principal(token: string): Promise<Principal | null> {
    if (!token.startsWith(TOKEN_PREFIX)) return null;
    const [row]: {
      id: number;
      person_id: number;
      nickname: string | null;
      scopes: Scope[];
      is_admin: boolean;
      stale: boolean;
    }[] = await this.ds.query(
      `SELECT t.id, t.person_id, p.nickname, t.scopes, coalesce(a.is_admin, false) AS is_admin,
              (t.last_used_on IS NULL OR t.last_used_on < now() - interval '1 minute') AS stale
         FROM api_tokens t
         JOIN persons p ON p.id = t.person_id
         LEFT JOIN auth_accounts a ON a.person_id = t.person_id
        WHERE t.token_hash = $1 AND t.revoked_on IS NULL
          AND (t.expires_on IS NULL OR t.expires_on > now())`,
      [hashToken(token)],
    );
    if (!row) return null;
    // "Last used" to the minute: one write per token per minute, not one per request.
    if (row.stale) {
      await this.ds.query(`UPDATE api_tokens SET last_used_on = now() WHERE id = $1`, [row.id]);
    }
    const scopes = row.scopes.filter((s) => s !== 'admin' || row.is_admin);
    return {
      via: 'token',
      personId: row.person_id,
      nickname: row.nickname,
      isAdmin: scopes.includes('admin'),
      scopes,
    };
  }
}

interface RawToken {
  id: number;
  person_id: number;
  name: string;
  scopes: Scope[];
  created_on: Date;
  expires_on: Date | null;
  last_used_on: Date | null;
  revoked_on: Date | null;
}

function toInfo(r: RawToken): ApiTokenInfo {
  return {
    id: r.id,
    name: r.name,
    scopes: r.scopes,
    createdOn: r.created_on,
    expiresOn: r.expires_on,
    lastUsedOn: r.last_used_on,
    revokedOn: r.revoked_on,
  };
}
