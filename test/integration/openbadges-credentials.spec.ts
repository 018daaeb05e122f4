import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { run } from '../../src/cli/main';
import { EXIT } from '../../src/cli/exit-codes';
import * as jose from 'jose';
import { HostedBadgesService } from '../../src/modules/openbadges/hosted.service';
import { KeysService } from '../../src/modules/openbadges/keys.service';
import { makeBadge, makeIssuer, makePerson } from '../support/factories';
import { createTestDatabase } from '../support/test-database';
import { auth, createTestApp, type TestApp } from '../support/test-app';

const DATE_TIME_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const decode = (jwt: string) => ({
  header: JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString()),
  payload: JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()),
});

/** The status bit at an index, read from the list's encodedList by hand. */
function bitAt(encodedList: string, index: number): boolean {
  const bytes = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
  return ((bytes[Math.floor(index / 8)] >> (7 - (index % 8))) & 1) === 1;
}

describe('Open Badges 3.0 credentials', () => {
  let t: TestApp;
  let base: string;
  let badgeId: string;

  const awardTo = async (nickname?: string) => {
    const who = nickname ?? ((await makePerson(t)).nickname as string);
    const res = await t
      .http()
      .post('/api/v1/assertions')
      .set(auth)
      .send({ badge_id: badgeId, nickname: who, issued_for: 'https://pagure.io/x/1' })
      .expect(201);
    return { id: res.body.id as string, nickname: who };
  };
  const rel = (url: string) => url.slice(base.length);
  const jwtOf = async (assertionId: string) => {
    const url = t.get(HostedBadgesService).shareLinks(assertionId).credentialUrl;
    const res = await t.http().get(rel(url)).set('Accept', 'application/vc+jwt').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/vc\+jwt/);
    return res.text;
  };
  const verify = async (credential: unknown) =>
    (await t.http().post('/openbadges/v3/verify').send({ credential }).expect(200)).body;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    t = await createTestApp({ env: { ACCOLADES_BASE_URL: base } });
    await t.app.listen(port, '127.0.0.1');
    const issuer = await makeIssuer(t, 'Fedora Project');
    badgeId = (await makeBadge(t, { name: 'Hello Fedora', issuerId: issuer.id, tags: ['qa'] })).id;
    await makePerson(t, 'ralph');
  });
  afterAll(() => t?.close());

  it('issues a signed OpenBadgeCredential with every required field', async () => {
    const { id } = await awardTo('ralph');
    const jwt = await jwtOf(id);
    const { header, payload: c } = decode(jwt);
    expect(header).toEqual({ alg: 'RS256', kid: expect.any(String), typ: 'JWT' });
    expect(header.kid.startsWith(`${base}/openbadges/v3/keys/`)).toBe(true);
    expect(c['@context']).toEqual([
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    ]);
    expect(c.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(c.id).toBe(t.get(HostedBadgesService).shareLinks(id).credentialUrl);
    expect(c.name).toBe('Hello Fedora');
    expect(c.issuer).toMatchObject({
      id: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/openbadges\/v3\/issuers\/\d+$/),
      type: ['Profile'],
      name: 'Fedora Project',
      url: 'https://fedoraproject.org',
      email: 'badges@fedoraproject.org',
    });
    expect(c.validFrom).toMatch(DATE_TIME_Z);
    // JWT claims repeat the credential (OB 3.0 8.2).
    expect(c.iss).toBe(c.issuer.id);
    expect(c.jti).toBe(c.id);
    expect(c.nbf).toBe(Date.parse(c.validFrom) / 1000);
    const subject = c.credentialSubject;
    expect(subject.type).toEqual(['AchievementSubject']);
    const hosted = (
      await t
        .http()
        .get(`/openbadges/v2/assertions/${encodeURIComponent(id)}`)
        .set('Accept', 'application/ld+json')
    ).body;
    const [identity] = subject.identifier;
    expect(identity).toEqual({
      type: 'IdentityObject',
      identityHash: hosted.recipient.identity,
      identityType: 'emailAddress',
      hashed: true,
      salt: hosted.recipient.salt,
    });
    expect(identity.identityHash).toBe(
      `sha256$${createHash('sha256').update(`ralph@fedoraproject.org${identity.salt}`).digest('hex')}`,
    );
    expect(subject.achievement).toMatchObject({
      id: `${base}/openbadges/v3/achievements/${badgeId}`,
      type: ['Achievement'],
      name: 'Hello Fedora',
      description: 'The Hello Fedora badge',
      criteria: { id: 'https://example.org/criteria' },
      image: { id: `${base}/pngs/hello-fedora.png`, type: 'Image' },
    });
    expect(c.evidence).toEqual([{ id: 'https://pagure.io/x/1', type: ['Evidence'] }]);
    expect(c.credentialStatus).toMatchObject({
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: expect.stringMatching(/^\d+$/),
    });
    // The documents the credential points to are served.
    const achievement = await t.http().get(rel(subject.achievement.id)).expect(200);
    expect(achievement.body.name).toBe('Hello Fedora');
    const profile = await t.http().get(rel(c.issuer.id)).expect(200);
    expect(profile.body).toMatchObject({ id: c.issuer.id, type: ['Profile'] });
    const json = await t.http().get(rel(c.id)).set('Accept', 'application/json').expect(200);
    expect(JSON.parse(json.text).credentialSubject.achievement.name).toBe('Hello Fedora');
  });

  it('publishes the key (by URL, in the JWKS and in did.json) and verifies its own credential', async () => {
    const { id } = await awardTo();
    const jwt = await jwtOf(id);
    const { header } = decode(jwt);
    const jwk = (await t.http().get(rel(header.kid)).expect(200)).body;
    expect(jwk).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwk.d).toBeUndefined();
    const jwks = (await t.http().get('/.well-known/jwks.json').expect(200)).body;
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).toContain(jwk.kid);
    const did = (await t.http().get('/.well-known/did.json').expect(200)).body;
    expect(did.id).toBe(`did:web:${encodeURIComponent(new URL(base).host)}`);
    expect(did.assertionMethod).toContain(`${did.id}#${jwk.kid}`);

    // Independently of the service: the signature checks with the published key.
    const { payload } = await jose.compactVerify(jwt, await jose.importJWK(jwk, 'RS256'));
    expect(JSON.parse(Buffer.from(payload).toString()).id).toBe(decode(jwt).payload.id);

    const result = await verify(jwt);
    expect(result).toMatchObject({ verified: true, errors: [] });
    expect(result.checks.map((c: { check: string }) => c.check)).toEqual([
      'format',
      'header',
      'fields',
      'key',
      'signature',
      'claims',
      'validity',
      'status',
    ]);
  });

  it('flips the status bit on revocation: the credential then fails verification', async () => {
    const { id, nickname } = await awardTo();
    const jwt = await jwtOf(id);
    const status = decode(jwt).payload.credentialStatus;
    const index = Number(status.statusListIndex);
    const listBefore = await t
      .http()
      .get(rel(status.statusListCredential))
      .set('Accept', 'application/json')
      .expect(200);
    const list = JSON.parse(listBefore.text);
    expect(list.type).toEqual(['VerifiableCredential', 'BitstringStatusListCredential']);
    expect(list.credentialSubject).toMatchObject({
      type: 'BitstringStatusList',
      statusPurpose: 'revocation',
    });
    expect(bitAt(list.credentialSubject.encodedList, index)).toBe(false);

    await t.http().delete(`/api/v1/badges/${badgeId}/holders/${nickname}`).set(auth).expect(200);

    const after = await t
      .http()
      .get(rel(status.statusListCredential))
      .set('Accept', 'application/vc+jwt')
      .expect(200);
    const listAfter = decode(after.text).payload;
    expect(bitAt(listAfter.credentialSubject.encodedList, index)).toBe(true);
    const result = await verify(jwt);
    expect(result.verified).toBe(false);
    expect(result.errors).toEqual(['status: the credential is revoked']);
    const gone = await t
      .http()
      .get(`/openbadges/v3/credentials/${encodeURIComponent(id)}`)
      .set('Accept', 'application/vc+jwt')
      .expect(410);
    expect(gone.body.code).toBe('ASSERTION.REVOKED');
  });

  it('also revokes the credentials of a deleted badge (its assertions go with it)', async () => {
    const issuer = await makeIssuer(t);
    const doomed = await makeBadge(t, { issuerId: issuer.id });
    const person = await makePerson(t);
    const res = await t
      .http()
      .post('/api/v1/assertions')
      .set(auth)
      .send({ badge_id: doomed.id, nickname: person.nickname })
      .expect(201);
    const jwt = await jwtOf(res.body.id);
    expect((await verify(jwt)).verified).toBe(true);
    await t.http().delete(`/api/v1/badges/${doomed.id}`).set(auth).expect(204);
    const result = await verify(jwt);
    expect(result.errors).toEqual(['status: the credential is revoked']);
  });

  it('fails a tampered credential and one signed with the wrong key', async () => {
    const { id } = await awardTo();
    const jwt = await jwtOf(id);
    const [h, p, s] = jwt.split('.');
    const payload = decode(jwt).payload;
    payload.credentialSubject.achievement.name = 'Master Builder';
    const tampered = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
    const r1 = await verify(tampered);
    expect(r1.verified).toBe(false);
    expect(r1.errors[0]).toMatch(/^signature:/);
    const { privateKey } = await jose.generateKeyPair('RS256');
    const forged = await new jose.CompactSign(Buffer.from(p, 'base64url'))
      .setProtectedHeader(decode(jwt).header)
      .sign(privateKey);
    const r2 = await verify(forged);
    expect(r2.verified).toBe(false);
    expect(r2.errors[0]).toMatch(/^signature:/);

    const elsewhere = await new jose.CompactSign(Buffer.from(p, 'base64url'))
      .setProtectedHeader({ alg: 'RS256', kid: 'https://evil.example/key', typ: 'JWT' })
      .sign(privateKey);
    const r3 = await verify(elsewhere);
    expect(r3.errors[0]).toMatch(/^key:/);

    const missing = await t.http().post('/openbadges/v3/verify').send({}).expect(400);
    expect(missing.body.code).toBe('REQUEST.INVALID');
  });

  it('rotates keys: new credentials use the new key, older ones still verify', async () => {
    const { id } = await awardTo();
    const oldJwt = await jwtOf(id);
    const keys = t.get(KeysService);
    const rotated = await keys.rotate();
    const newJwt = await jwtOf(id);
    expect(decode(newJwt).header.kid).toBe(keys.keyUrl(rotated.kid));
    expect(decode(oldJwt).header.kid).not.toBe(decode(newJwt).header.kid);
    expect((await verify(oldJwt)).verified).toBe(true);
    expect((await verify(newJwt)).verified).toBe(true);
    const listed = await keys.list();
    expect(listed.filter((k) => k.active).map((k) => k.kid)).toEqual([rotated.kid]);
    expect(listed.filter((k) => k.retiredOn).length).toBeGreaterThanOrEqual(1);
    const jwks = (await t.http().get('/.well-known/jwks.json').expect(200)).body;
    expect(jwks.keys).toHaveLength(listed.length);
  });

  describe('accolades credentials verify', () => {
    let dir: string;
    let out: string[];
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'accolades-cred-'));
      out = [];
      jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
        out.push(args.join(' '));
      });
    });
    afterEach(() => {
      jest.restoreAllMocks();
      rmSync(dir, { recursive: true, force: true });
    });

    it('verifies a credential from its URL, fetching the key and the status list', async () => {
      const { id } = await awardTo();
      const url = t.get(HostedBadgesService).shareLinks(id).credentialUrl;
      const code = await run(['node', 'accolades', 'credentials', 'verify', url]);
      expect(out.join('\n')).toContain('VERIFIED');
      expect(out.join('\n')).toContain('ok   status');
      expect(code).toBe(EXIT.OK);
    });

    it('fails a tampered file and a revoked credential with exit code 1', async () => {
      const { id, nickname } = await awardTo();
      const jwt = await jwtOf(id);
      const [h, , s] = jwt.split('.');
      const payload = decode(jwt).payload;
      payload.validFrom = '2001-01-01T00:00:00Z';
      const file = join(dir, 'tampered.jwt');
      writeFileSync(
        file,
        `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`,
      );
      expect(await run(['node', 'accolades', 'credentials', 'verify', file])).toBe(EXIT.FAILED);
      expect(out.join('\n')).toMatch(/FAIL signature/);

      const good = join(dir, 'good.json');
      writeFileSync(good, JSON.stringify({ credential: jwt }));
      expect(await run(['node', 'accolades', 'credentials', 'verify', good, '--json'])).toBe(
        EXIT.OK,
      );
      await t.http().delete(`/api/v1/badges/${badgeId}/holders/${nickname}`).set(auth).expect(200);
      out = [];
      expect(await run(['node', 'accolades', 'credentials', 'verify', good, '--json'])).toBe(
        EXIT.FAILED,
      );
      expect(JSON.parse(out.join('\n')).errors).toEqual(['status: the credential is revoked']);
    });
  });
});

describe('a signing key from the configuration', () => {
  it('signs with it, publishes only its public half, and leaves rotation to the configuration', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const t = await createTestApp({ env: { ACCOLADES_SIGNING_KEY: pem } });
    try {
      const issuer = await makeIssuer(t);
      const badge = await makeBadge(t, { issuerId: issuer.id });
      const person = await makePerson(t);
      const res = await t
        .http()
        .post('/api/v1/assertions')
        .set(auth)
        .send({ badge_id: badge.id, nickname: person.nickname })
        .expect(201);
      const jwt = (
        await t
          .http()
          .get(`/openbadges/v3/credentials/${res.body.id}`)
          .set('Accept', 'application/jwt')
          .expect(200)
      ).text;
      const expectedKid = await jose.calculateJwkThumbprint(
        publicKey.export({ format: 'jwk' }) as import('jose').JWK,
      );
      expect(decode(jwt).header.kid).toMatch(new RegExp(`/keys/${expectedKid}$`));
      await jose.compactVerify(jwt, publicKey);
      const rows = await t.dataSource.query(`SELECT kid, source, private_jwk FROM signing_keys`);
      expect(rows).toEqual([{ kid: expectedKid, source: 'configured', private_jwk: null }]);
      const rotate = t.get(KeysService).rotate();
      await expect(rotate).rejects.toMatchObject({ code: 'KEY.CONFIGURED' });
    } finally {
      await t.close();
    }
  });
});

describe('accolades keys', () => {
  it('rotates the generated key and lists both, the new one active', async () => {
    const db = await createTestDatabase();
    const saved = { ...process.env };
    Object.assign(process.env, db.env, { LOG_LEVEL: 'silent' });
    delete process.env.ACCOLADES_SIGNING_KEY;
    const out: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      out.push(args.join(' '));
    });
    try {
      expect(await run(['node', 'accolades', 'keys', 'rotate'])).toBe(EXIT.OK);
      const kid = /New signing key (\S+) \(RS256\)/.exec(out.join('\n'))?.[1];
      expect(kid).toBeDefined();
      out.length = 0;
      expect(await run(['node', 'accolades', 'keys', 'list'])).toBe(EXIT.OK);
      expect(out).toHaveLength(2);
      expect(out[0]).toMatch(new RegExp(`^${kid} +RS256 +generated .* active$`));
      expect(out[1]).toMatch(/ retired \d{4}-/);
    } finally {
      log.mockRestore();
      process.env = saved;
      await db.drop();
    }
  });
});
