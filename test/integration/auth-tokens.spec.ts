import { createHash } from 'node:crypto';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc';
import { csrf, loginAs, type Agent } from '../support/login';
import { auth, createTestApp, type TestApp } from '../support/test-app';

/** Personal API tokens, scopes, CSRF on forms and the API, and the audit of it all. */
describe('personal API tokens', () => {
  let provider: TestOidcProvider;
  let t: TestApp;
  let alice: Agent;
  let boss: Agent;

  beforeAll(async () => {
    provider = await startOidcProvider();
    t = await createTestApp({ env: provider.env });
    alice = await loginAs(t, { username: 'alice' });
    boss = await loginAs(t, { username: 'boss', groups: ['sysadmin-badges'] });
  });

  afterAll(async () => {
    await t?.close();
    await provider?.stop();
  });

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  async function apiToken(agent: Agent, body: object): Promise<string> {
    const token = await csrf(agent, '/settings/tokens');
    const res = await agent
      .post('/api/v1/tokens')
      .set('x-csrf-token', token)
      .send(body)
      .expect(201);
    return res.body.token as string;
  }

  it('creates a token through the API, shows it once and keeps only its hash', async () => {
    const token = await csrf(alice, '/settings/tokens');
    const res = await alice
      .post('/api/v1/tokens')
      .set('x-csrf-token', token)
      .send({ name: 'laptop', scopes: ['read', 'grant'] })
      .expect(201);
    expect(res.body).toMatchObject({ name: 'laptop', scopes: ['read', 'grant'], expiresOn: null });
    expect(res.body.token).toMatch(/^acc_[A-Za-z0-9_-]{43}$/);
    const rows = await t.dataSource.query(`SELECT token_hash FROM api_tokens WHERE id = $1`, [
      res.body.id,
    ]);
    expect(rows[0].token_hash).toBe(createHash('sha256').update(res.body.token).digest('hex'));
    const dump = JSON.stringify(await t.dataSource.query(`SELECT * FROM api_tokens`));
    expect(dump).not.toContain(res.body.token);

    const me = await t.http().get('/api/v1/me').set(bearer(res.body.token)).expect(200);
    expect(me.body).toEqual({
      via: 'token',
      personId: expect.any(Number),
      nickname: 'alice',
      isAdmin: false,
      scopes: ['read', 'grant'],
    });
    const list = await t.http().get('/api/v1/tokens').set(bearer(res.body.token)).expect(200);
    expect(list.body.map((x: { name: string }) => x.name)).toContain('laptop');
    expect(JSON.stringify(list.body)).not.toContain(res.body.token);
    expect(list.body.find((x: { id: number }) => x.id === res.body.id).lastUsedOn).not.toBeNull();
  });

  it('revokes a token: it stops working at once, and the revocation is audited', async () => {
    const token = await apiToken(alice, { name: 'short-lived', scopes: ['read'] });
    const { body: tokens } = await t.http().get('/api/v1/tokens').set(bearer(token)).expect(200);
    const id = tokens.find((x: { name: string }) => x.name === 'short-lived').id;
    await t.http().delete(`/api/v1/tokens/${id}`).set(bearer(token)).expect(200);
    const after = await t.http().get('/api/v1/me').set(bearer(token));
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('AUTH.INVALID_TOKEN');
    const audit = await t.dataSource.query(
      `SELECT actor, action, subject, details FROM audit_log WHERE action IN ('token.create', 'token.revoke') AND details->>'tokenId' = $1 ORDER BY id`,
      [String(id)],
    );
    expect(audit.map((a: { action: string }) => a.action)).toEqual([
      'token.create',
      'token.revoke',
    ]);
    expect(audit[0]).toMatchObject({ actor: 'alice', subject: 'alice' });
  });

  it("refuses to revoke someone else's token (as if it did not exist)", async () => {
    const token = await apiToken(boss, { name: 'boss-token', scopes: ['read'] });
    const { body } = await t.http().get('/api/v1/tokens').set(bearer(token)).expect(200);
    const id = body[0].id;
    const aliceToken = await apiToken(alice, { name: 'x', scopes: ['read'] });
    const res = await t.http().delete(`/api/v1/tokens/${id}`).set(bearer(aliceToken)).expect(404);
    expect(res.body.code).toBe('TOKEN.NOT_FOUND');
  });

  it('checks scopes: a token does only what its scopes and its owner allow', async () => {
    // A non-admin may not give a token the admin scope.
    const csrfToken = await csrf(alice, '/settings/tokens');
    const refused = await alice
      .post('/api/v1/tokens')
      .set('x-csrf-token', csrfToken)
      .send({ name: 'sneaky', scopes: ['admin'] })
      .expect(400);
    expect(refused.body.code).toBe('TOKEN.INVALID');
    expect(refused.body.errors[0].field).toBe('scopes');

    // A read token cannot mint a grant token.
    const read = await apiToken(alice, { name: 'reader', scopes: ['read'] });
    await t
      .http()
      .post('/api/v1/tokens')
      .set(bearer(read))
      .send({ name: 'more', scopes: ['grant'] })
      .expect(400);

    // Admin writes need an admin's token with the admin scope.
    const newUser = (n: string) => ({ nickname: n });
    const bossRead = await apiToken(boss, { name: 'boss-read', scopes: ['read'] });
    const denied = await t
      .http()
      .post('/api/v1/users')
      .set(bearer(bossRead))
      .send(newUser('u1'))
      .expect(403);
    expect(denied.body.code).toBe('AUTH.FORBIDDEN');
    const bossAdmin = await apiToken(boss, { name: 'boss-admin', scopes: ['read', 'admin'] });
    await t.http().post('/api/v1/users').set(bearer(bossAdmin)).send(newUser('u2')).expect(201);
    const aliceGrant = await apiToken(alice, { name: 'alice-grant', scopes: ['grant'] });
    await t.http().post('/api/v1/users').set(bearer(aliceGrant)).send(newUser('u3')).expect(403);
    // read is needed to list tokens.
    const noRead = await t.http().get('/api/v1/tokens').set(bearer(aliceGrant)).expect(403);
    expect(noRead.body.code).toBe('AUTH.SCOPE');
    // The bootstrap token keeps working, and anonymous writes are refused.
    await t.http().post('/api/v1/users').set(auth).send(newUser('u4')).expect(201);
    expect((await t.http().get('/api/v1/me').set(auth).expect(200)).body).toMatchObject({
      via: 'bootstrap',
      isAdmin: true,
    });
    await t.http().post('/api/v1/users').send(newUser('u5')).expect(401);
  });

  it("lets an admin's session use the admin API (with the CSRF header), not others'", async () => {
    const bossCsrf = await csrf(boss, '/settings/tokens');
    await boss.post('/api/v1/users').send({ nickname: 's1' }).expect(403); // no CSRF header
    await boss
      .post('/api/v1/users')
      .set('x-csrf-token', bossCsrf)
      .send({ nickname: 's1' })
      .expect(201);
    const aliceCsrf = await csrf(alice, '/settings/tokens');
    const res = await alice
      .post('/api/v1/users')
      .set('x-csrf-token', aliceCsrf)
      .send({ nickname: 's2' })
      .expect(403);
    expect(res.body.code).toBe('AUTH.FORBIDDEN');
  });

  it('loses the admin scope when its owner is no longer an admin', async () => {
    const token = await apiToken(boss, { name: 'ops', scopes: ['read', 'admin'] });
    await loginAs(t, { username: 'boss', groups: [] });
    const me = await t.http().get('/api/v1/me').set(bearer(token)).expect(200);
    expect(me.body).toMatchObject({ isAdmin: false, scopes: ['read'] });
    await t.http().post('/api/v1/users').set(bearer(token)).send({ nickname: 'u6' }).expect(403);
    boss = await loginAs(t, { username: 'boss', groups: ['sysadmin-badges'] });
  });

  it('refuses expired and unknown tokens', async () => {
    const token = await apiToken(alice, {
      name: 'tomorrow',
      scopes: ['read'],
      expiresOn: new Date(Date.now() + 86_400_000).toISOString(),
    });
    await t.http().get('/api/v1/me').set(bearer(token)).expect(200);
    await t.dataSource.query(
      `UPDATE api_tokens SET expires_on = now() - interval '1 minute' WHERE name = 'tomorrow'`,
    );
    expect((await t.http().get('/api/v1/me').set(bearer(token)).expect(401)).body.code).toBe(
      'AUTH.INVALID_TOKEN',
    );
    await t.http().get('/api/v1/me').set(bearer('acc_nope')).expect(401);
    expect((await t.http().get('/api/v1/me').expect(401)).body.code).toBe('AUTH.REQUIRED');
    const past = await csrf(alice, '/settings/tokens');
    const res = await alice
      .post('/api/v1/tokens')
      .set('x-csrf-token', past)
      .send({ name: 'old', scopes: ['read'], expiresOn: '2001-01-01T00:00:00Z' })
      .expect(400);
    expect(res.body.errors[0].field).toBe('expiresOn');
  });

  it('creates, lists and revokes tokens on /settings/tokens, showing a new token once', async () => {
    const page = await alice.get('/settings/tokens').expect(200);
    expect(page.text).not.toContain('value="admin"'); // not offered to non-admins
    const token = await csrf(alice, '/settings/tokens');
    const created = await alice
      .post('/settings/tokens')
      .type('form')
      .send(`_csrf=${token}&name=Page+token&scopes=read&scopes=grant&expiresOn=2099-12-31`)
      .expect(201);
    const secret = /data-token>(acc_[^<]+)</.exec(created.text)![1];
    expect(created.headers['cache-control']).toBe('no-store');
    await t.http().get('/api/v1/me').set(bearer(secret)).expect(200);
    const again = await alice.get('/settings/tokens').expect(200);
    expect(again.text).toContain('Page token');
    expect(again.text).not.toContain(secret);
    const id = /data-token-id="(\d+)">\s*<td>Page token</.exec(again.text)![1];
    await alice
      .post(`/settings/tokens/${id}/revoke`)
      .type('form')
      .send({ _csrf: token })
      .expect(303);
    await t.http().get('/api/v1/me').set(bearer(secret)).expect(401);
    expect((await alice.get('/settings/tokens')).text).toMatch(/Page token[\s\S]*?revoked/);
  });

  it('re-renders the token form with field errors', async () => {
    const token = await csrf(alice, '/settings/tokens');
    const res = await alice
      .post('/settings/tokens')
      .type('form')
      .send({ _csrf: token, name: '', expiresOn: 'soon' })
      .expect(400);
    expect(res.text).toContain('Give a date (YYYY-MM-DD).');
    expect(res.text).toContain('field--invalid');
  });

  it('offers the admin scope to admins', async () => {
    expect((await boss.get('/settings/tokens').expect(200)).text).toContain('value="admin"');
  });

  it('refuses forms and session API calls without the right CSRF token', async () => {
    const html = await alice
      .post('/settings/tokens')
      .type('form')
      .set('Accept', 'text/html')
      .send({ name: 'x', scopes: 'read' });
    expect(html.status).toBe(403);
    expect(html.text).toContain('Reload the page');
    const wrong = await alice
      .post('/settings/tokens')
      .type('form')
      .send({ _csrf: 'wrong', name: 'x', scopes: 'read' });
    expect(wrong.status).toBe(403);
    const api = await alice
      .post('/api/v1/tokens')
      .send({ name: 'x', scopes: ['read'] })
      .expect(403);
    expect(api.body.code).toBe('AUTH.CSRF');
    // Another session's token does not do either.
    const bossToken = await csrf(boss, '/settings/tokens');
    await alice
      .post('/api/v1/tokens')
      .set('x-csrf-token', bossToken)
      .send({ name: 'x', scopes: ['read'] })
      .expect(403);
    // In the query string (for multipart forms) it is accepted.
    const mine = await csrf(alice, '/settings/tokens');
    await alice
      .post(`/api/v1/tokens?_csrf=${mine}`)
      .send({ name: 'via query', scopes: ['read'] })
      .expect(201);
  });

  it('shows the audit log to admins only, as a page, a CSV file and JSON', async () => {
    const anonymous = await t.http().get('/admin/audit').expect(302);
    expect(anonymous.headers.location).toBe('/login?next=%2Fadmin%2Faudit');
    const denied = await alice.get('/admin/audit').set('Accept', 'text/html').expect(403);
    expect(denied.text).toContain('This page is for admins only.');
    await alice.get('/admin/audit.csv').expect(403);

    const page = await boss.get('/admin/audit').expect(200);
    expect(page.text).toContain('token.create');
    expect(page.text).toContain('role.change');
    const csv = await boss.get('/admin/audit.csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('id,at,actor,action,subject,details');
    const count = Number((await t.dataSource.query(`SELECT count(*) AS n FROM audit_log`))[0].n);
    expect(lines).toHaveLength(count + 1);

    const json = await t.http().get('/api/v1/audit?per_page=2').set(auth).expect(200);
    expect(json.body).toMatchObject({ total: count, page: 1, perPage: 2 });
    expect(json.body.items).toHaveLength(2);
    await t
      .http()
      .get('/api/v1/audit')
      .set(bearer(await apiToken(alice, { name: 'r', scopes: ['read'] })))
      .expect(403);
  });

  it('pages the audit log', async () => {
    const { AuditService } = await import('../../src/modules/auth/audit.service');
    for (let i = 0; i < 55; i++) {
      await t.get(AuditService).record({ actor: 'boss', action: 'badge.grant', subject: `b/${i}` });
    }
    const first = await boss.get('/admin/audit').expect(200);
    expect(first.text).toContain('href="/admin/audit?page&#x3D;2"');
    expect(first.text).toContain('b/54');
    const second = await boss.get('/admin/audit?page=2').expect(200);
    expect(second.text).not.toContain('b/54<');
  });
});

describe('token creation rate limit', () => {
  let provider: TestOidcProvider;
  let t: TestApp;

  beforeAll(async () => {
    provider = await startOidcProvider();
    t = await createTestApp({ env: { ...provider.env, ACCOLADES_RATE_LIMIT_TOKENS: '2' } });
  });

  afterAll(async () => {
    await t?.close();
    await provider?.stop();
  });

  it('answers 429 once the hourly limit is reached, as JSON on the API', async () => {
    const agent = await loginAs(t, { username: 'alice' });
    const token = await csrf(agent, '/settings/tokens');
    for (let i = 0; i < 2; i++) {
      await agent
        .post('/api/v1/tokens')
        .set('x-csrf-token', token)
        .send({ name: `t${i}`, scopes: ['read'] })
        .expect(201);
    }
    const res = await agent
      .post('/api/v1/tokens')
      .set('x-csrf-token', token)
      .send({ name: 't3', scopes: ['read'] })
      .expect(429);
    expect(res.body.code).toBe('RATE.LIMITED');
    // Reading is not limited.
    await agent.get('/api/v1/tokens').expect(200);
  });
});
