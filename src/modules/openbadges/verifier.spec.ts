import type { JWK, KeyLike } from 'jose';
import * as jose from 'jose';
import { jwtClaims } from './ob3.documents';
import { OB3_CONTEXT, VC_V2_CONTEXT } from './ob3.model';
import { encodeStatusList } from './status-list';
import { type CredentialResolver, keyBelongsTo, verifyCredential } from './verifier';

const ORIGIN = 'https://badges.example';
const KID = `${ORIGIN}/keys/k1`;
const LIST = `${ORIGIN}/status/1`;
const ISSUER = `${ORIGIN}/issuers/1`;

function credential(index = 7): Record<string, unknown> {
  return {
    '@context': [VC_V2_CONTEXT, OB3_CONTEXT],
    id: `${ORIGIN}/credentials/abc`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: 'Hello Fedora',
    issuer: { id: ISSUER, type: ['Profile'], name: 'Fedora' },
    validFrom: '2024-05-01T10:00:00Z',
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: [
        {
          type: 'IdentityObject',
          identityHash: `sha256$${'0f'.repeat(32)}`,
          identityType: 'emailAddress',
          hashed: true,
          salt: 'pepper',
        },
      ],
      achievement: {
        id: `${ORIGIN}/achievements/hello`,
        type: ['Achievement'],
        name: 'Hello Fedora',
        description: 'Said hello',
        criteria: { narrative: 'Say hello.' },
      },
    },
    credentialStatus: {
      id: `${LIST}#${index}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(index),
      statusListCredential: LIST,
    },
  };
}

async function keyPair() {
  const { privateKey, publicKey } = await jose.generateKeyPair('RS256', { extractable: true });
  return { privateKey, publicJwk: { ...(await jose.exportJWK(publicKey)), alg: 'RS256' } as JWK };
}

async function sign(payload: object, key: KeyLike, kid = KID): Promise<string> {
  return new jose.CompactSign(Buffer.from(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .sign(key);
}

const withClaims = (c: Record<string, unknown>) => ({ ...c, ...jwtClaims(c) });

describe('verifyCredential (VC-JWT)', () => {
  let issuerKey: Awaited<ReturnType<typeof keyPair>>;
  let otherKey: Awaited<ReturnType<typeof keyPair>>;
  let revoked: number[];

  const resolver = (): CredentialResolver => ({
    publicKey: async (kid) => {
      if (kid !== KID) throw new Error(`unknown key ${kid}`);
      return issuerKey.publicJwk;
    },
    statusList: async (url) => {
      if (url !== LIST) throw new Error('no such list');
      const list = {
        '@context': [VC_V2_CONTEXT],
        id: LIST,
        type: ['VerifiableCredential', 'BitstringStatusListCredential'],
        issuer: ISSUER,
        validFrom: '2024-05-01T10:00:00Z',
        credentialSubject: {
          id: `${LIST}#list`,
          type: 'BitstringStatusList',
          statusPurpose: 'revocation',
          encodedList: encodeStatusList(revoked),
        },
      };
      return sign(withClaims(list), issuerKey.privateKey);
    },
  });

  beforeAll(async () => {
    issuerKey = await keyPair();
    otherKey = await keyPair();
  });
  beforeEach(() => {
    revoked = [3];
  });

  it('verifies a well-formed, signed, unrevoked credential', async () => {
    const jwt = await sign(withClaims(credential()), issuerKey.privateKey);
    const result = await verifyCredential(jwt, resolver());
    expect(result.errors).toEqual([]);
    expect(result.verified).toBe(true);
    expect(result.checks.map((c) => c.check)).toEqual(
      expect.arrayContaining([
        'format',
        'header',
        'fields',
        'key',
        'signature',
        'claims',
        'status',
      ]),
    );
  });

  it('accepts the credential inside an EnvelopedVerifiableCredential', async () => {
    const jwt = await sign(withClaims(credential()), issuerKey.privateKey);
    const envelope = {
      '@context': [VC_V2_CONTEXT],
      type: 'EnvelopedVerifiableCredential',
      id: `data:application/vc+jwt,${jwt}`,
    };
    expect((await verifyCredential(envelope, resolver())).verified).toBe(true);
  });

  it('fails a revoked credential on its status bit', async () => {
    revoked = [7];
    const jwt = await sign(withClaims(credential(7)), issuerKey.privateKey);
    const result = await verifyCredential(jwt, resolver());
    expect(result.verified).toBe(false);
    expect(result.errors).toEqual(['status: the credential is revoked']);
  });

  it('fails a tampered credential on its signature', async () => {
    const jwt = await sign(withClaims(credential()), issuerKey.privateKey);
    const [h, p, s] = jwt.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    payload.credentialSubject.achievement.name = 'Master Builder';
    const forged = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
    const result = await verifyCredential(forged, resolver());
    expect(result.verified).toBe(false);
    expect(result.checks.find((c) => c.check === 'signature')?.passed).toBe(false);
  });

  it('fails a credential signed with another key under the issuer key id', async () => {
    const jwt = await sign(withClaims(credential()), otherKey.privateKey);
    const result = await verifyCredential(jwt, resolver());
    expect(result.verified).toBe(false);
    expect(result.errors[0]).toMatch(/^signature:/);
  });

  it('fails a key that is not on the issuer origin', async () => {
    const jwt = await sign(withClaims(credential()), otherKey.privateKey, 'https://evil.example/k');
    const result = await verifyCredential(jwt, resolver());
    expect(result.verified).toBe(false);
    expect(result.errors[0]).toMatch(/^key: .*not on the issuer's origin/);
  });

  it('fails JWT claims that do not repeat the credential', async () => {
    const payload = { ...withClaims(credential()), jti: 'urn:uuid:other', nbf: 1 };
    const result = await verifyCredential(await sign(payload, issuerKey.privateKey), resolver());
    expect(result.verified).toBe(false);
    expect(result.errors).toEqual(['claims: jti does not match id; nbf does not match validFrom']);
  });

  it('fails a credential that is not valid yet, and one missing required fields', async () => {
    const future = { ...credential(), validFrom: '2999-01-01T00:00:00Z' };
    const r1 = await verifyCredential(
      await sign(withClaims(future), issuerKey.privateKey),
      resolver(),
    );
    expect(r1.errors).toEqual(['validity: not valid yet (validFrom)']);
    const bare = credential();
    delete bare.name;
    const r2 = await verifyCredential(
      await sign(withClaims(bare), issuerKey.privateKey),
      resolver(),
    );
    expect(r2.errors).toEqual(['fields: name is required']);
  });

  it('refuses what is not a compact JWS, and unsigned algorithms', async () => {
    expect((await verifyCredential(credential(), resolver())).errors[0]).toMatch(/^format:/);
    const none = `${Buffer.from('{"alg":"none","kid":"x"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.x`;
    expect((await verifyCredential(none, resolver())).errors[0]).toMatch(
      /^header: unsupported alg/,
    );
  });

  it.each([
    ['https://badges.example/keys/1', 'https://badges.example/issuers/1', true],
    ['https://badges.example:8443/keys/1', 'https://badges.example/issuers/1', false],
    ['https://evil.example/keys/1', 'https://badges.example/issuers/1', false],
    ['https://badges.example/.well-known/k', 'did:web:badges.example', true],
    ['did:web:badges.example#k1', 'did:web:badges.example', true],
    ['http://badges.example/k', 'did:web:badges.example', false],
    ['not a url', 'https://badges.example/issuers/1', false],
  ])('binds key %s to issuer %s: %s', (kid, issuer, expected) => {
    expect(keyBelongsTo(kid, issuer)).toBe(expected);
  });
});
