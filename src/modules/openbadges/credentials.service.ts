import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { DataSource, type EntityManager } from 'typeorm';
import { AwardsService } from '../awards/awards.service';
import { BadgesService } from '../badges/badges.service';
import { IssuersService } from '../badges/issuers.service';
import * as jose from 'jose';
import type { JsonObject } from './ob2.documents';
import {
  achievement,
  jwtClaims,
  openBadgeCredential,
  profile,
  standalone,
  statusListCredential,
  type StatusPosition,
} from './ob3.documents';
import { assertionRevoked, assertionUnknown, statusListNotFound } from './openbadges.errors';
import { OpenBadgesLinks } from './openbadges.links';
import { KeysService } from './keys.service';
import { encodeStatusList, STATUS_LIST_LENGTH } from './status-list';
import { type VerificationResult, verifyCredential } from './verifier';

export interface SignedCredential {
  credential: JsonObject;
  /** The credential secured as a VC-JWT (compact JWS). */
  jwt: string;
}

/**
 * Open Badges 3.0: every assertion as an OpenBadgeCredential secured as a VC-JWT (RS256 by
 * default), the issuers' Bitstring Status Lists, and verification of our own credentials.
 */
@Injectable()
export class CredentialsService {
  /** Signatures of identical payloads with the same key are reused (RS256 is deterministic). */
  private readonly signatures = new LRUCache<string, string>({ max: 20_000 });
  private readonly lists = new Map<
    number,
    { revision: string; kid: string; signed: SignedCredential }
  >();

  constructor(
    private readonly ds: DataSource,
    private readonly awards: AwardsService,
    private readonly badges: BadgesService,
    private readonly issuers: IssuersService,
    private readonly keys: KeysService,
    private readonly links: OpenBadgesLinks,
  ) {}

  async credential(assertionId: string): Promise<SignedCredential> {
    const found = await this.awards.findWithBadge(assertionId);
    if (!found) return this.gone(assertionId);
    const { assertion, badge } = found;
    const issuer = await this.issuers.get(badge.issuerId);
    const position = await this.statusPosition(assertion.id, issuer.id);
    if (!position) return this.gone(assertionId);
    const credential = openBadgeCredential(assertion, badge, issuer, position, this.links);
    return { credential, jwt: await this.sign(credential) };
  }

  async profile(issuerId: number): Promise<JsonObject> {
    return standalone(profile(await this.issuers.get(issuerId), this.links));
  }

  async achievement(badgeId: string): Promise<JsonObject> {
    const badge = await this.badges.get(badgeId);
    return standalone(achievement(badge, await this.issuers.get(badge.issuerId), this.links));
  }

  /** A status list credential, re-signed only when one of its bits flipped. */
  async statusList(listId: number): Promise<SignedCredential> {
    if (!Number.isSafeInteger(listId) || listId < 1) throw statusListNotFound(String(listId));
    const rows: { issuer_id: number; revision: string; updated_on: Date }[] = await this.ds.query(
      `SELECT issuer_id, revision::text AS revision, updated_on FROM status_lists WHERE id = $1`,
      [listId],
    );
    if (!rows.length) throw statusListNotFound(String(listId));
    const { kid } = await this.keys.activeKey();
    const cached = this.lists.get(listId);
    if (cached && cached.revision === rows[0].revision && cached.kid === kid) return cached.signed;
    const set: { list_index: number }[] = await this.ds.query(
      `SELECT list_index FROM credential_status WHERE list_id = $1 AND revoked`,
      [listId],
    );
    const issuer = await this.issuers.get(rows[0].issuer_id);
    const credential = statusListCredential(
      listId,
      issuer,
      encodeStatusList(set.map((r) => r.list_index)),
      rows[0].updated_on,
      this.links,
    );
    const signed = { credential, jwt: await this.sign(credential) };
    this.lists.set(listId, { revision: rows[0].revision, kid, signed });
    return signed;
  }

  /**
   * Verifies a credential issued by this service: keys and status lists are read locally,
   * never fetched (a verify endpoint that fetched what it is sent would let anyone make
   * the service call arbitrary URLs). Credentials of other issuers fail the key check.
   */
  verify(input: unknown): Promise<VerificationResult> {
    const keyPrefix = this.links.keyPrefix;
    const statusPrefix = this.links.statusPrefix;
    return verifyCredential(input, {
      publicKey: async (kid) => {
        if (!kid.startsWith(keyPrefix)) throw new Error('not a key published by this service');
        return this.keys.publicKey(decodeURIComponent(kid.slice(keyPrefix.length)));
      },
      statusList: async (url) => {
        if (!url.startsWith(statusPrefix)) throw new Error('not a status list of this service');
        return (await this.statusList(Number(url.slice(statusPrefix.length)))).jwt;
      },
    });
  }

  /** Signs a credential as a VC-JWT: the credential is the payload, with iss/jti/nbf/sub. */
  private async sign(credential: JsonObject): Promise<string> {
    const key = await this.keys.activeKey();
    const payload = JSON.stringify({ ...credential, ...jwtClaims(credential) });
    const cacheKey = createHash('sha256')
      .update(key.kid)
      .update('\0')
      .update(payload)
      .digest('base64url');
    const hit = this.signatures.get(cacheKey);
    if (hit) return hit;
    const jwt = await new jose.CompactSign(Buffer.from(payload, 'utf8'))
      .setProtectedHeader({ alg: key.alg, kid: this.keys.keyUrl(key.kid), typ: 'JWT' })
      .sign(key.key);
    this.signatures.set(cacheKey, jwt);
    return jwt;
  }

  private async gone(assertionId: string): Promise<never> {
    const revoked = await this.awards.findRevoked(assertionId);
    if (revoked) throw assertionRevoked(assertionId, revoked.reason);
    throw assertionUnknown(assertionId);
  }

  /**
   * The assertion's position in one of its issuer's status lists, assigned on first issue.
   * The assertion row is share-locked meanwhile, so a concurrent revocation waits and its
   * trigger sees the new position (null: the assertion is gone).
   */
  private async statusPosition(
    assertionId: string,
    issuerId: number,
  ): Promise<StatusPosition | null> {
    const existing = await this.findPosition(this.ds.manager, assertionId);
    if (existing) return existing;
    return this.ds.transaction(async (m) => {
      const live: unknown[] = await m.query(
        `SELECT 1 FROM assertions WHERE id = $1 FOR KEY SHARE`,
        [assertionId],
      );
      if (!live.length) return null;
      const again = await this.findPosition(m, assertionId);
      if (again) return again;
      const [list]: { id: number; used: number }[] = await m.query(
        `SELECT id, used FROM status_lists WHERE issuer_id = $1 ORDER BY id DESC LIMIT 1 FOR UPDATE`,
        [issuerId],
      );
      let position: StatusPosition;
      if (list && list.used < STATUS_LIST_LENGTH) {
        await m.query(`UPDATE status_lists SET used = used + 1 WHERE id = $1`, [list.id]);
        position = { listId: list.id, index: list.used };
      } else {
        const [created]: { id: number }[] = await m.query(
          `INSERT INTO status_lists (issuer_id, used) VALUES ($1, 1) RETURNING id`,
          [issuerId],
        );
        position = { listId: created.id, index: 0 };
      }
      // A concurrent first issue of the same assertion may have won: keep its position
      // (this one stays unused, its bit zero).
      const inserted: unknown[] = await m.query(
        `INSERT INTO credential_status (assertion_id, list_id, list_index) VALUES ($1, $2, $3)
         ON CONFLICT (assertion_id) DO NOTHING RETURNING assertion_id`,
        [assertionId, position.listId, position.index],
      );
      return inserted.length ? position : this.findPosition(m, assertionId);
    });
  }

  private async findPosition(
    m: EntityManager,
    assertionId: string,
  ): Promise<StatusPosition | null> {
    const rows: { list_id: number; list_index: number }[] = await m.query(
      `SELECT list_id, list_index FROM credential_status WHERE assertion_id = $1`,
      [assertionId],
    );
    return rows.length ? { listId: rows[0].list_id, index: rows[0].list_index } : null;
  }
}
