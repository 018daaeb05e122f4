import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { AuthorizationsService } from '../../src/modules/awards/authorizations.service';
import { award, makeBadge, makePerson } from '../support/factories';
import { csrf, loginAs, type Agent } from '../support/login';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc';
import { auth, createTestApp, type TestApp } from '../support/test-app';

// http: an https base URL would make the session cookie Secure, which supertest (plain
// HTTP) then keeps to itself.
const BASE = 'http://badges.example.org';

/** Invitations: made by granters (API and page), a QR code, claimed after login. */
describe('invitations', () => {
  let provider: TestOidcProvider;
  let t: TestApp;
  let gina: Agent;
  let boss: Agent;
  let zoe: Agent;
  let ginaToken: string;

  beforeAll(async () => {
    provider = await startOidcProvider();
    t = await createTestApp({ env: { ...provider.env, ACCOLADES_BASE_URL: BASE } });
    gina = await loginAs(t, { username: 'gina' });
    boss = await loginAs(t, { username: 'boss', groups: ['sysadmin-badges'] });
    zoe = await loginAs(t, { username: 'zoe' });
    await makeBadge(t, { name: 'Flock 2026' });
    await makeBadge(t, { name: 'Mentor' });
    await makePerson(t, 'held');
    await t.get(AuthorizationsService).add('flock-2026', 'gina');
    const token = await csrf(gina, '/settings/tokens');
    const res = await gina
      .post('/api/v1/tokens')
      .set('x-csrf-token', token)
      .send({ name: 'cli', scopes: ['grant'] })
      .expect(201);
    ginaToken = res.body.token;
  });

  afterAll(async () => {
    await t?.close();
    await provider?.stop();
  });

  const bearer = () => ({ Authorization: `Bearer ${ginaToken}` });
  const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();
  const audit = async (action: string) =>
    (await t.dataSource.query(
      `SELECT actor, subject, details FROM audit_log WHERE action = $1 ORDER BY id`,
      [action],
    )) as { actor: string; subject: string; details: Record<string, unknown> }[];

  async function invite(badge = 'flock-2026', expires = inAnHour()): Promise<string> {
    const res = await t
      .http()
      .post(`/api/v1/badges/${badge}/invitations`)
      .set(bearer())
      .send({ expires_on: expires })
      .expect(201);
    return res.body.code as string;
  }

  it('creates an invitation through the API, with its claim and QR URLs', async () => {
    const expires = '2099-08-10T18:00:00Z';
    const res = await t
      .http()
      .post('/api/v1/badges/flock-2026/invitations')
      .set(bearer())
      .send({ expires_on: expires })
      .expect(201);
    const code = res.body.code;
    expect(code).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(res.body).toEqual({
      code,
      badge_id: 'flock-2026',
      badge_name: 'Flock 2026',
      claim_url: `${BASE}/claim/${code}`,
      qr_url: `${BASE}/api/v1/invitations/${code}/qr.png`,
      expires_on: '2099-08-10T18:00:00.000Z',
      state: 'active',
      created_by: 'gina',
      created_on: expect.any(String),
      revoked_on: null,
    });
    const [entry] = await audit('invitation.create');
    expect(entry).toMatchObject({ actor: 'gina', subject: code, details: { badge: 'flock-2026' } });
    // A date alone works through that day (UTC).
    const dateOnly = await t
      .http()
      .post('/api/v1/badges/flock-2026/invitations')
      .set(bearer())
      .send({ expires_on: '2099-12-31' })
      .expect(201);
    expect(dateOnly.body.expires_on).toBe('2099-12-31T23:59:59.000Z');
  });

  it('documents the invitation endpoints in the OpenAPI document', async () => {
    const doc = (await t.http().get('/api/docs/openapi.json').expect(200)).body;
    expect(Object.keys(doc.paths['/api/v1/badges/{id}/invitations'])).toEqual(['post']);
    expect(Object.keys(doc.paths['/api/v1/invitations'])).toEqual(['get']);
    expect(Object.keys(doc.paths['/api/v1/invitations/{code}']).sort()).toEqual(['delete', 'get']);
    expect(
      doc.paths['/api/v1/invitations/{code}/qr.png'].get.responses['200'].content,
    ).toHaveProperty(['image/png']);
    const body = doc.paths['/api/v1/badges/{id}/invitations'].post.requestBody.content;
    expect(JSON.stringify(body)).toContain('CreateInvitationDto');
  });

  it('serves a QR code PNG that decodes to the claim URL', async () => {
    const code = await invite();
    const res = await t
      .http()
      .get(`/api/v1/invitations/${code}/qr.png`)
      .set(bearer())
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toBe('image/png');
    const png = res.body as Buffer;
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    const image = PNG.sync.read(png);
    expect(image.width).toBeGreaterThan(100);
    const decoded = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
    expect(decoded?.data).toBe(`${BASE}/claim/${code}`);
    // Only its creator and admins get it.
    const zoeToken = await csrf(zoe, '/settings/tokens');
    await zoe.get(`/api/v1/invitations/${code}/qr.png`).set('x-csrf-token', zoeToken).expect(404);
    await t.http().get(`/api/v1/invitations/${code}/qr.png`).expect(401);
  });

  it('lists the caller’s invitations; admins see everyone’s, by badge too', async () => {
    const mine = await t.http().get('/api/v1/invitations').set(bearer()).expect(200);
    expect(mine.body.total).toBeGreaterThanOrEqual(3);
    expect(mine.body.items.every((i: { created_by: string }) => i.created_by === 'gina')).toBe(
      true,
    );
    expect(Object.keys(mine.body)).toEqual(['items', 'total', 'page', 'per_page', 'pages']);
    const none = await zoe.get('/api/v1/invitations').expect(200);
    expect(none.body.total).toBe(0);
    const all = await boss.get('/api/v1/invitations?badge=flock-2026').expect(200);
    expect(all.body.total).toBe(mine.body.total);
    const other = await boss.get('/api/v1/invitations?badge=mentor').expect(200);
    expect(other.body.total).toBe(0);
  });

  it('refuses invitations to people who may not grant the badge, and bad expiries', async () => {
    const other = await t
      .http()
      .post('/api/v1/badges/mentor/invitations')
      .set(bearer())
      .send({ expires_on: inAnHour() })
      .expect(403);
    expect(other.body.code).toBe('GRANT.FORBIDDEN');
    const past = await t
      .http()
      .post('/api/v1/badges/flock-2026/invitations')
      .set(bearer())
      .send({ expires_on: '2001-01-01' })
      .expect(400);
    expect(past.body.errors).toEqual([
      { field: 'expires_on', errors: ['The expiry must be in the future.'] },
    ]);
    const nonsense = await t
      .http()
      .post('/api/v1/badges/flock-2026/invitations')
      .set(bearer())
      .send({ expires_on: 'next tuesday' })
      .expect(400);
    expect(nonsense.body.code).toBe('INVITATION.INVALID');
    const unknown = await t
      .http()
      .post('/api/v1/badges/nope/invitations')
      .set(bearer())
      .send({ expires_on: inAnHour() })
      .expect(404);
    expect(unknown.body.code).toBe('BADGE.NOT_FOUND');
    const bootstrap = await t
      .http()
      .post('/api/v1/badges/flock-2026/invitations')
      .set(auth)
      .send({ expires_on: inAnHour() })
      .expect(403);
    expect(bootstrap.body.code).toBe('INVITATION.NO_PERSON');
  });

  it('sends an anonymous claimer to login and back, then claims on their click', async () => {
    const code = await invite();
    const anon = await t.http().get(`/claim/${code}`).expect(302);
    expect(anon.headers.location).toBe(`/login?next=${encodeURIComponent(`/claim/${code}`)}`);
    const claimer = await loginAs(t, { username: 'newcomer' }, { next: `/claim/${code}` });
    const page = await claimer.get(`/claim/${code}`).expect(200);
    expect(page.text).toContain('Claim Flock 2026');
    expect(page.text).toContain('Claim the badge</button>');
    // Looking at the page awards nothing: claiming is the button's POST.
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM assertions a JOIN persons p ON p.id = a.person_id WHERE p.nickname = 'newcomer'`,
    );
    expect(n).toBe(0);
    const token = await csrf(claimer, `/claim/${code}`);
    const res = await claimer
      .post(`/claim/${code}`)
      .type('form')
      .send({ _csrf: token })
      .expect(303);
    expect(res.headers.location).toBe('/badge/flock-2026?claimed=1');
    const badgePage = await claimer.get(res.headers.location).expect(200);
    expect(badgePage.text).toContain('You claimed this badge.');
    expect(badgePage.text).toContain('You hold this badge');
    const [row] = await t.dataSource.query(
      `SELECT a.issued_for FROM assertions a JOIN persons p ON p.id = a.person_id
        WHERE p.nickname = 'newcomer' AND a.badge_id = 'flock-2026'`,
    );
    expect(row.issued_for).toBe(`${BASE}/claim/${code}`);
    const claims = await audit('invitation.claim');
    expect(claims[claims.length - 1]).toMatchObject({
      actor: 'newcomer',
      subject: code,
      details: { badge: 'flock-2026', user: 'newcomer' },
    });
    // A second claim is friendly, and changes nothing.
    const again = await claimer
      .post(`/claim/${code}`)
      .type('form')
      .send({ _csrf: token })
      .expect(200);
    expect(again.text).toContain('You already hold Flock 2026');
    expect((await claimer.get(`/claim/${code}`).expect(200)).text).toContain('You already hold');
    expect((await audit('invitation.claim')).length).toBe(claims.length);
  });

  it('tells a person who held the badge before that they hold it', async () => {
    await award(t, 'flock-2026', 'zoe');
    const code = await invite();
    const token = await csrf(zoe, `/claim/${code}`);
    const res = await zoe.post(`/claim/${code}`).type('form').send({ _csrf: token }).expect(200);
    expect(res.text).toContain('You already hold Flock 2026');
  });

  it('answers 404 for an unknown code and 410 for an expired or withdrawn one', async () => {
    const unknown = await zoe.get('/claim/no-such-code').set('Accept', 'text/html').expect(404);
    expect(unknown.text).toContain('No invitation');
    await t.http().get('/claim/no-such-code').set('Accept', 'text/html').expect(404);
    const expired = await invite();
    await t.dataSource.query(
      `UPDATE invitations SET expires_on = now() - interval '1 minute' WHERE id = $1`,
      [expired],
    );
    const gone = await zoe.get(`/claim/${expired}`).set('Accept', 'text/html').expect(410);
    expect(gone.text).toContain('expired on');
    // Anonymous visitors learn it too, before being asked to log in.
    await t.http().get(`/claim/${expired}`).set('Accept', 'text/html').expect(410);
    const token = await csrf(zoe, '/settings/profile');
    await zoe.post(`/claim/${expired}`).type('form').send({ _csrf: token }).expect(410);

    const withdrawn = await invite();
    const res = await t.http().delete(`/api/v1/invitations/${withdrawn}`).set(bearer()).expect(200);
    expect(res.body).toMatchObject({
      code: withdrawn,
      state: 'revoked',
      revoked_on: expect.any(String),
    });
    await t.http().delete(`/api/v1/invitations/${withdrawn}`).set(bearer()).expect(200);
    expect((await audit('invitation.revoke')).filter((e) => e.subject === withdrawn)).toHaveLength(
      1,
    );
    const page = await zoe.get(`/claim/${withdrawn}`).set('Accept', 'text/html').expect(410);
    expect(page.text).toContain('withdrawn');
    // Others cannot withdraw it (nor learn that it exists).
    const zoeCsrf = await csrf(zoe, '/settings/profile');
    const refused = await zoe
      .delete(`/api/v1/invitations/${await invite()}`)
      .set('x-csrf-token', zoeCsrf)
      .expect(404);
    expect(refused.body.code).toBe('INVITATION.NOT_FOUND');
  });

  it('refuses a claim without the CSRF token', async () => {
    const code = await invite();
    await makePerson(t, 'quiet');
    const quiet = await loginAs(t, { username: 'quiet' });
    await quiet.post(`/claim/${code}`).type('form').send({}).expect(403);
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM assertions a JOIN persons p ON p.id = a.person_id WHERE p.nickname = 'quiet'`,
    );
    expect(n).toBe(0);
  });

  it('lets granters create, see and withdraw invitations on the badge page', async () => {
    const page = await gina.get('/badge/flock-2026').expect(200);
    expect(page.text).toContain('href="/badge/flock-2026/invitations"');
    let token = await csrf(gina, '/badge/flock-2026/invitations');
    const bad = await gina
      .post('/badge/flock-2026/invitations')
      .type('form')
      .send({ _csrf: token, expires_on: '2001-01-01T10:00' })
      .expect(400);
    expect(bad.text).toContain('The expiry must be in the future.');
    expect(bad.text).toContain('value="2001-01-01T10:00"');
    const created = await gina
      .post('/badge/flock-2026/invitations')
      .type('form')
      .send({ _csrf: token, expires_on: '2099-06-01T09:30' })
      .expect(303);
    const code = /created=([^&]+)/.exec(created.headers.location)![1];
    const list = await gina.get(created.headers.location).expect(200);
    expect(list.text).toContain('The invitation was created');
    expect(list.text).toContain(`${BASE}/claim/${code}`);
    expect(list.text).toContain(`src="/api/v1/invitations/${code}/qr.png"`);
    const [row] = await t.dataSource.query(`SELECT expires_on FROM invitations WHERE id = $1`, [
      code,
    ]);
    expect(new Date(row.expires_on).toISOString()).toBe('2099-06-01T09:30:00.000Z');
    token = await csrf(gina, '/badge/flock-2026/invitations');
    await gina
      .post(`/badge/flock-2026/invitations/${code}/revoke`)
      .type('form')
      .send({ _csrf: token })
      .expect(303);
    const [after] = await t.dataSource.query(`SELECT revoked_on FROM invitations WHERE id = $1`, [
      code,
    ]);
    expect(after.revoked_on).not.toBeNull();
    // Not a granter of this badge: a 403 page.
    await gina.get('/badge/mentor/invitations').set('Accept', 'text/html').expect(403);
    await zoe.get('/badge/flock-2026/invitations').set('Accept', 'text/html').expect(403);
  });
});

describe('invitation claims are rate limited', () => {
  let provider: TestOidcProvider;
  let t: TestApp;

  beforeAll(async () => {
    provider = await startOidcProvider();
    t = await createTestApp({ env: { ...provider.env, ACCOLADES_RATE_LIMIT_CLAIM: '3' } });
  });

  afterAll(async () => {
    await t?.close();
    await provider?.stop();
  });

  it('answers 429 past the limit, for real codes as well as guesses', async () => {
    await makeBadge(t, { name: 'Limited' });
    const boss = await loginAs(t, { username: 'boss', groups: ['sysadmin-badges'] });
    const token = await csrf(boss, '/settings/tokens');
    const res = await boss
      .post('/api/v1/badges/limited/invitations')
      .set('x-csrf-token', token)
      .send({ expires_on: '2099-01-01' })
      .expect(201);
    const code = res.body.code;
    await boss.get(`/claim/${code}`).expect(200);
    await boss.post(`/claim/${code}`).type('form').send({ _csrf: token }).expect(303);
    await boss.get(`/claim/guess`).set('Accept', 'text/html').expect(404);
    const limited = await boss.get(`/claim/${code}`).set('Accept', 'text/html').expect(429);
    expect(limited.text).toContain('Too many requests');
  });
});
