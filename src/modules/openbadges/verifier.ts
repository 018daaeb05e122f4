import type { JWK } from 'jose';
import * as jose from 'jose';
import { credentialProblems, issuerIdOf } from './ob3.model';
import { decodeStatusList, statusBit } from './status-list';

/** Where a verifier gets what a credential points to (keys, status lists). */
export interface CredentialResolver {
  /** The public JWK a key id dereferences to; throws when it cannot. */
  publicKey(kid: string): Promise<JWK>;
  /** The compact JWS of a status list credential; throws when it cannot. */
  statusList(url: string): Promise<string>;
}

export interface Check {
  check: string;
  passed: boolean;
  message: string;
}

export interface VerificationResult {
  verified: boolean;
  /** The credential's id, when it could be read. */
  credential: string | null;
  checks: Check[];
  errors: string[];
}

export const ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

class Failed extends Error {}

/**
 * Verifies an Open Badges 3.0 credential secured as a VC-JWT (OB 3.0 section 8.2): the
 * JOSE header, the key (a URL on the issuer's own origin, or under its did:web), the
 * signature, the JWT claims against the credential, the required fields, the validity
 * period and the revocation bit of its Bitstring Status List entry.
 */
export async function verifyCredential(
  input: unknown,
  resolver: CredentialResolver,
  now: Date = new Date(),
): Promise<VerificationResult> {
  const checks: Check[] = [];
  let credentialId: string | null = null;
  const pass = (check: string, message: string) => checks.push({ check, passed: true, message });
  const fail = (check: string, message: string): never => {
    checks.push({ check, passed: false, message });
    throw new Failed(message);
  };
  const soft = (check: string, problems: string[], ok: string) =>
    problems.length
      ? checks.push({ check, passed: false, message: problems.join('; ') })
      : pass(check, ok);

  try {
    const jws = compactJwsOf(input);
    if (!jws) {
      fail(
        'format',
        'not a VC-JWT: expected a compact JWS (or an EnvelopedVerifiableCredential holding one)',
      );
    }
    const { header, payload } = decodeJws(jws as string, fail);
    pass('format', 'a compact JWS with a JSON payload');
    credentialId = typeof payload.id === 'string' ? payload.id : null;

    const alg = header.alg as string;
    if (!ALGORITHMS.includes(alg as (typeof ALGORITHMS)[number])) {
      fail('header', `unsupported alg ${String(alg)}`);
    }
    if (header.typ !== undefined && header.typ !== 'JWT' && header.typ !== 'vc+jwt') {
      fail('header', `typ must be JWT, not ${String(header.typ)}`);
    }
    if (header.crit !== undefined) fail('header', 'critical header parameters are not supported');
    if (typeof header.kid !== 'string') fail('header', 'the header names no key (kid)');
    pass('header', `alg ${alg}, kid ${String(header.kid)}`);

    const issuerId = issuerIdOf(payload);
    if (!issuerId) fail('fields', 'the credential has no issuer id');
    soft('fields', credentialProblems(payload), 'every required Open Badges 3.0 field is there');

    const kid = header.kid as string;
    if (!keyBelongsTo(kid, issuerId as string)) {
      fail('key', `the key ${kid} is not on the issuer's origin (${issuerId})`);
    }
    let jwk: JWK;
    try {
      jwk = await resolver.publicKey(kid);
    } catch (err) {
      return fail('key', `the key ${kid} could not be fetched: ${(err as Error).message}`);
    }
    if (jwk.d !== undefined) fail('key', 'the published key holds private material');
    if (jwk.alg !== undefined && jwk.alg !== alg)
      fail('key', `the key is for ${jwk.alg}, not ${alg}`);
    pass('key', `published by the issuer at ${kid}`);

    await verifySignature(jws as string, jwk, alg, fail);
    pass('signature', 'the signature matches the issuer key');

    soft('claims', claimProblems(payload, issuerId as string), 'iss, jti, nbf and sub match');

    const validFrom = Date.parse(String(payload.validFrom));
    const validUntil = payload.validUntil ? Date.parse(String(payload.validUntil)) : null;
    if (!(validFrom <= now.getTime())) {
      checks.push({ check: 'validity', passed: false, message: 'not valid yet (validFrom)' });
    } else if (validUntil !== null && !(validUntil > now.getTime())) {
      checks.push({ check: 'validity', passed: false, message: 'expired (validUntil)' });
    } else {
      pass('validity', 'within its validity period');
    }

    const status = await statusProblems(payload, issuerId as string, resolver);
    if (status === null) pass('status', 'the credential carries no status entry');
    else soft('status', status, 'not revoked (Bitstring Status List)');
  } catch (err) {
    if (!(err instanceof Failed)) {
      checks.push({ check: 'error', passed: false, message: (err as Error).message });
    }
  }
  const errors = checks.filter((c) => !c.passed).map((c) => `${c.check}: ${c.message}`);
  return { verified: errors.length === 0, credential: credentialId, checks, errors };
}

/** The compact JWS in what was sent: the string itself, or an enveloped credential. */
export function compactJwsOf(input: unknown): string | null {
  if (typeof input === 'string') {
    const s = input.trim();
    return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(s) ? s : null;
  }
  if (isObj(input)) {
    const types = Array.isArray(input.type) ? input.type : [input.type];
    const id = typeof input.id === 'string' ? input.id : '';
    const m = /^data:application\/(vc\+jwt|vc-ld\+jwt|jwt),(.+)$/.exec(id);
    if (types.includes('EnvelopedVerifiableCredential') && m) return compactJwsOf(m[2]);
  }
  return null;
}

function decodeJws(
  jws: string,
  fail: (c: string, m: string) => never,
): { header: Obj; payload: Obj } {
  const [h, p] = jws.split('.');
  try {
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as unknown;
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as unknown;
    if (!isObj(header) || !isObj(payload)) throw new Error('not JSON objects');
    return { header, payload };
  } catch (err) {
    return fail('format', `the JWS header or payload is not JSON: ${(err as Error).message}`);
  }
}

async function verifySignature(
  jws: string,
  jwk: JWK,
  alg: string,
  fail: (c: string, m: string) => never,
): Promise<void> {
  try {
    const key = await jose.importJWK(jwk, alg);
    await jose.compactVerify(jws, key, { algorithms: [alg] });
  } catch (err) {
    fail('signature', `the signature does not verify: ${(err as Error).message}`);
  }
}

/**
 * A key belongs to the issuer when its URL is on the issuer's origin (an HTTPS issuer id)
 * or on the host of its did:web. Without this, anyone could sign "as" any issuer.
 */
export function keyBelongsTo(kid: string, issuerId: string): boolean {
  let keyUrl: URL;
  try {
    keyUrl = new URL(kid);
  } catch {
    return false;
  }
  if (issuerId.startsWith('did:web:')) {
    if (kid.startsWith(`${issuerId}#`)) return true;
    const host = decodeURIComponent(issuerId.slice('did:web:'.length).split(':')[0]);
    return keyUrl.protocol === 'https:' && keyUrl.host === host;
  }
  try {
    const issuerUrl = new URL(issuerId);
    return /^https?:$/.test(keyUrl.protocol) && keyUrl.origin === issuerUrl.origin;
  } catch {
    return false;
  }
}

/** The JWT claims must repeat the credential (OB 3.0 "Verify a Credential VC-JWT Signature"). */
export function claimProblems(c: Obj, issuerId: string): string[] {
  const p: string[] = [];
  if (c.iss !== issuerId) p.push('iss does not match issuer.id');
  if (c.jti !== c.id) p.push('jti does not match id');
  const validFrom = Date.parse(String(c.validFrom));
  if (typeof c.nbf !== 'number' || c.nbf !== Math.floor(validFrom / 1000)) {
    p.push('nbf does not match validFrom');
  }
  const subject = isObj(c.credentialSubject) ? c.credentialSubject : {};
  if (subject.id !== undefined ? c.sub !== subject.id : c.sub !== undefined) {
    p.push('sub does not match credentialSubject.id');
  }
  if (c.validUntil !== undefined || c.exp !== undefined) {
    const until = Date.parse(String(c.validUntil));
    if (typeof c.exp !== 'number' || c.exp !== Math.floor(until / 1000)) {
      p.push('exp does not match validUntil');
    }
  }
  return p;
}

/** Null when there is no status entry; else the problems found (empty: not revoked). */
async function statusProblems(
  c: Obj,
  issuerId: string,
  resolver: CredentialResolver,
): Promise<string[] | null> {
  const raw = c.credentialStatus;
  if (raw === undefined) return null;
  const entries = Array.isArray(raw) ? raw : [raw];
  const problems: string[] = [];
  for (const e of entries) {
    if (!isObj(e) || e.type !== 'BitstringStatusListEntry') {
      problems.push('unsupported credentialStatus type');
      continue;
    }
    const url = String(e.statusListCredential ?? '');
    const index = Number(e.statusListIndex);
    if (!url || !Number.isInteger(index) || index < 0) {
      problems.push('the status entry lacks statusListCredential or a valid statusListIndex');
      continue;
    }
    try {
      const list = await verifiedStatusList(url, issuerId, resolver);
      const subject = isObj(list.credentialSubject) ? list.credentialSubject : {};
      if (subject.statusPurpose !== e.statusPurpose) {
        problems.push(`the status list is for ${String(subject.statusPurpose)}`);
        continue;
      }
      if (statusBit(decodeStatusList(String(subject.encodedList)), index)) {
        problems.push(
          e.statusPurpose === 'revocation'
            ? 'the credential is revoked'
            : `status ${String(e.statusPurpose)} is set`,
        );
      }
    } catch (err) {
      problems.push(`the status list could not be checked: ${(err as Error).message}`);
    }
  }
  return problems;
}

async function verifiedStatusList(
  url: string,
  issuerId: string,
  resolver: CredentialResolver,
): Promise<Obj> {
  const jws = compactJwsOf(await resolver.statusList(url));
  if (!jws) throw new Error('the status list is not a VC-JWT');
  const fail = (_: string, m: string): never => {
    throw new Error(m);
  };
  const { header, payload } = decodeJws(jws, fail);
  const kid = String(header.kid ?? '');
  const alg = String(header.alg ?? '');
  if (!ALGORITHMS.includes(alg as (typeof ALGORITHMS)[number])) throw new Error(`alg ${alg}`);
  if (!keyBelongsTo(kid, issuerId)) throw new Error('the status list key is not the issuer’s');
  await verifySignature(jws, await resolver.publicKey(kid), alg, fail);
  if (issuerIdOf(payload) !== issuerId) throw new Error('the status list has another issuer');
  const types = Array.isArray(payload.type) ? payload.type : [payload.type];
  if (!types.includes('BitstringStatusListCredential')) {
    throw new Error('not a BitstringStatusListCredential');
  }
  if (payload.id !== url) throw new Error('the status list id is not its URL');
  return payload;
}
