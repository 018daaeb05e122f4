import { createPrivateKey } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { JWK, KeyLike } from 'jose';
import { DataSource, type EntityManager } from 'typeorm';
import { conflict } from '../../common/errors/domain-error';
import { ENV } from '../../config/config.module';
import type { Env } from '../../config/env.schema';
import * as jose from 'jose';
import { keyNotFound } from './openbadges.errors';
import { OpenBadgesLinks } from './openbadges.links';
import { SigningKey } from './signing-key.entity';

export type SigningAlg = 'RS256' | 'ES256' | 'EdDSA';

export interface ActiveKey {
  kid: string;
  alg: SigningAlg;
  key: KeyLike | Uint8Array;
}

export interface KeyInfo {
  kid: string;
  alg: string;
  source: 'generated' | 'configured';
  createdOn: Date;
  retiredOn: Date | null;
  active: boolean;
}

/** Members of a private JWK that must never be published. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** A running replica looks for a rotated key this often. */
const ACTIVE_TTL_MS = 30_000;

/** Advisory lock id serializing key generation across replicas. */
const KEY_LOCK = 7_364_501;

export function publicJwkOf(jwk: JWK): JWK {
  const pub: Record<string, unknown> = { ...jwk };
  for (const m of PRIVATE_MEMBERS) delete pub[m];
  return pub as unknown as JWK;
}

/** The signing algorithm for a private key, refusing what Open Badges verifiers cannot use. */
export function algOf(jwk: JWK): SigningAlg {
  if (jwk.kty === 'RSA') {
    const bits = Buffer.from(String(jwk.n ?? ''), 'base64url').length * 8;
    if (bits < 2048) throw new Error(`RSA keys need 2048 bits or more (this one has ${bits})`);
    return 'RS256';
  }
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  throw new Error(`unsupported key type ${jwk.kty}${jwk.crv ? ` (${jwk.crv})` : ''}`);
}

/** Parses ACCOLADES_SIGNING_KEY: a private JWK (JSON) or a PKCS#8 PEM. */
export function parseConfiguredKey(text: string): JWK {
  const trimmed = text.trim();
  const jwk: JWK = trimmed.startsWith('{')
    ? (JSON.parse(trimmed) as JWK)
    : (createPrivateKey(trimmed).export({ format: 'jwk' }) as JWK);
  if (!jwk.d) throw new Error('ACCOLADES_SIGNING_KEY holds no private key');
  algOf(jwk);
  return jwk;
}

/**
 * The issuer's signing keys (Open Badges 3.0 credentials, status lists). The key comes
 * from ACCOLADES_SIGNING_KEY, or is generated at first start (RSA 2048, RS256: the
 * algorithm every Open Badges 3.0 verifier must support) and kept in the database.
 * Every key ever used stays published (JWKS, did.json) so older credentials verify.
 */
@Injectable()
export class KeysService implements OnModuleInit {
  private readonly logger = new Logger('Keys');
  private active: { value: ActiveKey; at: number } | null = null;
  private configured: { jwk: JWK; kid: string; alg: SigningAlg } | null = null;
  private configuredRecorded = false;

  constructor(
    private readonly ds: DataSource,
    private readonly links: OpenBadgesLinks,
    @Inject(ENV) private readonly env: Env,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.activeKey();
  }

  /** The key that signs now. */
  async activeKey(): Promise<ActiveKey> {
    if (this.active && Date.now() - this.active.at < ACTIVE_TTL_MS) return this.active.value;
    const value = this.env.ACCOLADES_SIGNING_KEY
      ? await this.fromConfiguration(this.env.ACCOLADES_SIGNING_KEY)
      : await this.fromDatabase();
    this.active = { value, at: Date.now() };
    return value;
  }

  /** The key id published in credentials: a URL that dereferences to the public JWK. */
  keyUrl(kid: string): string {
    return this.links.key(kid);
  }

  /** Every published public key, newest first, as a JWK with kid, alg and use. */
  async published(): Promise<JWK[]> {
    const rows = await this.ds.manager.find(SigningKey, { order: { createdOn: 'DESC' } });
    return rows.map((r) => ({ ...r.publicJwk, kid: r.kid, alg: r.alg, use: 'sig' }) as JWK);
  }

  /**
   * The did:web document of the service's host (did:web:<host>), listing every published
   * key, for verifiers that resolve DIDs. Credentials name the issuer by its HTTPS
   * profile URL and the key by URL; this is the same key set in DID form.
   */
  async didDocument(): Promise<Record<string, unknown>> {
    const did = `did:web:${encodeURIComponent(new URL(this.links.base).host)}`;
    const methods = (await this.published()).map((jwk) => ({
      id: `${did}#${jwk.kid}`,
      type: 'JsonWebKey2020',
      controller: did,
      publicKeyJwk: jwk,
    }));
    return {
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
      id: did,
      alsoKnownAs: [this.links.base],
      verificationMethod: methods,
      assertionMethod: methods.map((m) => m.id),
    };
  }

  async publicKey(kid: string): Promise<JWK> {
    const row = await this.ds.manager.findOneBy(SigningKey, { kid });
    if (!row) throw keyNotFound(kid);
    return { ...row.publicJwk, kid: row.kid, alg: row.alg, use: 'sig' } as JWK;
  }

  async list(): Promise<KeyInfo[]> {
    const active = await this.activeKey();
    const rows = await this.ds.manager.find(SigningKey, { order: { createdOn: 'DESC' } });
    return rows.map((r) => ({
      kid: r.kid,
      alg: r.alg,
      source: r.source,
      createdOn: r.createdOn,
      retiredOn: r.retiredOn,
      active: r.kid === active.kid,
    }));
  }

  /**
   * Generates a new key and retires the current one (which stays published). Running
   * replicas switch within ACTIVE_TTL_MS.
   */
  async rotate(): Promise<KeyInfo> {
    if (this.env.ACCOLADES_SIGNING_KEY) {
      throw conflict(
        'KEY.CONFIGURED',
        'The signing key comes from ACCOLADES_SIGNING_KEY: rotate it by changing the variable.',
      );
    }
    const kid = await this.ds.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK]);
      const created = await this.generate(m);
      await m.query(
        `UPDATE signing_keys SET retired_on = now() WHERE retired_on IS NULL AND kid <> $1`,
        [created],
      );
      return created;
    });
    this.active = null;
    this.logger.log({ kid }, 'signing key rotated');
    return (await this.list()).find((k) => k.kid === kid) as KeyInfo;
  }

  private async fromConfiguration(text: string): Promise<ActiveKey> {
    if (!this.configured) {
      let jwk: JWK;
      try {
        jwk = parseConfiguredKey(text);
      } catch (err) {
        throw new Error(`ACCOLADES_SIGNING_KEY: ${(err as Error).message}`);
      }
      const pub = publicJwkOf(jwk);
      this.configured = { jwk, kid: await jose.calculateJwkThumbprint(pub), alg: algOf(jwk) };
    }
    const { jwk, kid, alg } = this.configured;
    if (!this.configuredRecorded) await this.recordConfigured(jwk, kid, alg);
    return { kid, alg, key: await jose.importJWK(jwk, alg) };
  }

  /** Publishes the configured key and retires the others, once per process. */
  private async recordConfigured(jwk: JWK, kid: string, alg: SigningAlg): Promise<void> {
    await this.ds.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK]);
      await m.query(
        `INSERT INTO signing_keys (kid, alg, public_jwk, source) VALUES ($1, $2, $3, 'configured')
         ON CONFLICT (kid) DO UPDATE SET retired_on = NULL`,
        [kid, alg, JSON.stringify(publicJwkOf(jwk))],
      );
      await m.query(
        `UPDATE signing_keys SET retired_on = now() WHERE retired_on IS NULL AND kid <> $1`,
        [kid],
      );
    });
    this.configuredRecorded = true;
  }

  private async fromDatabase(): Promise<ActiveKey> {
    let row = await this.newestUsable(this.ds.manager);
    if (!row) {
      row = await this.ds.transaction(async (m) => {
        await m.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK]);
        const again = await this.newestUsable(m);
        if (again) return again;
        const kid = await this.generate(m);
        // A configured key that is no longer configured stops being the active one.
        await m.query(
          `UPDATE signing_keys SET retired_on = now() WHERE retired_on IS NULL AND kid <> $1`,
          [kid],
        );
        this.logger.log({ kid }, 'signing key generated');
        return m.findOneByOrFail(SigningKey, { kid });
      });
    }
    const alg = row.alg as SigningAlg;
    return { kid: row.kid, alg, key: await jose.importJWK(row.privateJwk as unknown as JWK, alg) };
  }

  private newestUsable(m: EntityManager): Promise<SigningKey | null> {
    return m
      .createQueryBuilder(SigningKey, 'k')
      .where('k.retired_on IS NULL AND k.private_jwk IS NOT NULL')
      .orderBy('k.created_on', 'DESC')
      .addOrderBy('k.kid', 'ASC')
      .getOne();
  }

  /** Generates an RSA 2048 key pair and stores it; returns its kid. */
  private async generate(m: EntityManager): Promise<string> {
    const { privateKey } = await jose.generateKeyPair('RS256', {
      modulusLength: 2048,
      extractable: true,
    });
    const priv = await jose.exportJWK(privateKey);
    const pub = publicJwkOf(priv);
    const kid = await jose.calculateJwkThumbprint(pub);
    await m.query(
      `INSERT INTO signing_keys (kid, alg, public_jwk, private_jwk, source)
       VALUES ($1, 'RS256', $2, $3, 'generated')`,
      [kid, JSON.stringify(pub), JSON.stringify(priv)],
    );
    return kid;
  }
}
