import request from 'supertest';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc';
import {
  csrf,
  freePort,
  loginAs,
  pathOf,
  passProvider,
  startLogin,
  type Agent,
} from '../support/login';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * Login through a real OpenID Connect provider (oidc-provider in a child process, PKCE
 * required), with supertest following the redirects and submitting its forms.
 */
describe('login with a Fedora account', () => {
  let provider: TestOidcProvider;
  let t: TestApp;

  beforeAll(async () => {
    provider = await startOidcProvider();
    t = await createTestApp({
      env: { ...provider.env, ACCOLADES_ADMIN_GROUPS: 'sysadmin-badges,badges-admins' },
    });
  });

  afterAll(async () => {
    await t?.close();
    await provider?.stop();
  });

  const sessionRows = async () =>
    Number((await t.dataSource.query(`SELECT count(*) AS n FROM http_sessions`))[0].n);

  async function person(nickname: string) {
    const [p] = await t.dataSource.query(
      `SELECT p.id, p.email, p.last_login, a.subject, a.is_admin
         FROM persons p LEFT JOIN auth_accounts a ON a.person_id = p.id WHERE p.nickname = $1`,
      [nickname],
    );
    return p as
      | { id: number; email: string; last_login: Date | null; subject: string; is_admin: boolean }
      | undefined;
  }

  it('logs in through the provider, creates the person and shows the account corner', async () => {
    expect(await person('alice')).toBeUndefined();
    const agent = await loginAs(t, { username: 'alice' });
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain('class="account__me" href="/user/alice">alice</a>');
    expect(home.text).toMatch(/<form class="account__logout" action="\/logout" method="post">/);
    expect(home.text).not.toContain('>Log in</a>');
    const me = await agent.get('/api/v1/me').expect(200);
    expect(me.body).toEqual({
      via: 'session',
      personId: expect.any(Number),
      nickname: 'alice',
      isAdmin: false,
      scopes: ['read', 'grant'],
    });
    const p = await person('alice');
    expect(p).toMatchObject({
      email: 'alice@fedoraproject.org',
      subject: 'alice',
      is_admin: false,
    });
    expect(p!.last_login).not.toBeNull();
  });

  it('shows anonymous visitors a "Log in" link that comes back to the page', async () => {
    const res = await t.http().get('/leaderboard').expect(200);
    // Handlebars escapes '=' in attributes.
    expect(res.text).toContain('href="/login?next&#x3D;%2Fleaderboard">Log in</a>');
  });

  it('updates last_login at later logins and returns to the page asked for', async () => {
    const before = (await person('alice'))!.last_login!;
    await new Promise((r) => setTimeout(r, 20));
    const agent = request.agent(t.app.getHttpServer());
    const authorize = await startLogin(agent, '/leaderboard?period=week');
    const callback = await passProvider(authorize, { sub: 'alice' }, provider.redirectUrl);
    const back = await agent.get(pathOf(callback)).expect(302);
    expect(back.headers.location).toBe('/leaderboard?period=week');
    const after = (await person('alice'))!.last_login!;
    expect(new Date(after).getTime()).toBeGreaterThan(new Date(before).getTime());
  });

  it('never sends people elsewhere after login (open redirects)', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      const agent = request.agent(t.app.getHttpServer());
      const authorize = await startLogin(agent, next);
      const callback = await passProvider(authorize, { sub: 'alice' }, provider.redirectUrl);
      const back = await agent.get(pathOf(callback)).expect(302);
      expect(back.headers.location).toBe('/');
    }
  });

  it('sends PKCE (S256) and a nonce, and the provider holds the client to them', async () => {
    const agent = request.agent(t.app.getHttpServer());
    const authorize = new URL(await startLogin(agent));
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(authorize.searchParams.get('state')).toBeTruthy();
    // Another challenge: the verifier kept in the session no longer matches it.
    authorize.searchParams.set('code_challenge', 'A'.repeat(43));
    const callback = await passProvider(
      authorize.toString(),
      { sub: 'alice' },
      provider.redirectUrl,
    );
    const res = await agent.get(pathOf(callback)).set('Accept', 'text/html');
    expect(res.status).toBe(401);
    expect(res.text).toContain('Login failed');
    await agent.get('/api/v1/me').expect(401);
  });

  it('refuses a tampered state cleanly, leaving no session', async () => {
    const rowsBefore = await sessionRows();
    const agent = request.agent(t.app.getHttpServer());
    const authorize = await startLogin(agent);
    const callback = new URL(
      await passProvider(authorize, { sub: 'mallory' }, provider.redirectUrl),
    );
    callback.searchParams.set('state', 'forged');
    const res = await agent.get(pathOf(callback.toString())).set('Accept', 'text/html');
    expect(res.status).toBe(401);
    expect(res.text).toContain('Login failed');
    expect(String(res.headers['set-cookie'] ?? '')).toMatch(/accolades\.sid=;/);
    await agent.get('/api/v1/me').expect(401);
    expect(await sessionRows()).toBe(rowsBefore);
    expect(await person('mallory')).toBeUndefined();
  });

  it('refuses an ID token whose nonce is not the one sent', async () => {
    const agent = request.agent(t.app.getHttpServer());
    const authorize = new URL(await startLogin(agent));
    authorize.searchParams.set('nonce', 'not-the-one-in-the-session');
    const callback = await passProvider(
      authorize.toString(),
      { sub: 'mallory' },
      provider.redirectUrl,
    );
    const res = await agent.get(pathOf(callback)).set('Accept', 'application/json');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'AUTH.LOGIN_FAILED' });
    expect(res.body.message).toContain('nonce');
    await agent.get('/api/v1/me').expect(401);
    expect(await person('mallory')).toBeUndefined();
  });

  it('refuses a callback replayed with the same state', async () => {
    const agent = request.agent(t.app.getHttpServer());
    const authorize = await startLogin(agent);
    const callback = await passProvider(authorize, { sub: 'alice' }, provider.redirectUrl);
    await agent.get(pathOf(callback)).expect(302);
    const again = await request(t.app.getHttpServer()).get(pathOf(callback));
    expect(again.status).toBe(401);
  });

  it('makes members of the admin groups admins, and audits role changes', async () => {
    const agent = await loginAs(t, { username: 'boss', groups: ['packager', 'sysadmin-badges'] });
    expect((await agent.get('/api/v1/me').expect(200)).body).toMatchObject({
      isAdmin: true,
      scopes: ['read', 'grant', 'admin'],
    });
    expect((await person('boss'))!.is_admin).toBe(true);
    // Leaving the group takes effect at the next login.
    const later = await loginAs(t, { username: 'boss', groups: ['packager'] });
    expect((await later.get('/api/v1/me').expect(200)).body.isAdmin).toBe(false);
    const audit = await t.dataSource.query(
      `SELECT actor, action, subject, details FROM audit_log WHERE action = 'role.change' AND subject = 'boss' ORDER BY id`,
    );
    expect(audit).toEqual([
      {
        actor: null,
        action: 'role.change',
        subject: 'boss',
        details: { admin: true, groups: ['sysadmin-badges'] },
      },
      {
        actor: null,
        action: 'role.change',
        subject: 'boss',
        details: { admin: false, groups: [] },
      },
    ]);
    // Another configured group counts too.
    const other = await loginAs(t, { username: 'deputy', groups: ['badges-admins'] });
    expect((await other.get('/api/v1/me').expect(200)).body.isAdmin).toBe(true);
  });

  it('refuses an account whose subject differs from the one this person logged in with', async () => {
    await loginAs(t, { username: 'carol' });
    const agent = request.agent(t.app.getHttpServer());
    const authorize = await startLogin(agent);
    await provider.addAccount({ username: 'carol', sub: 'someone-else' });
    const callback = await passProvider(authorize, { sub: 'someone-else' }, provider.redirectUrl);
    const res = await agent.get(pathOf(callback)).set('Accept', 'application/json');
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('AUTH.ACCOUNT_MISMATCH');
    await agent.get('/api/v1/me').expect(401);
  });

  it('logs out with a POST carrying the CSRF token, which destroys the session', async () => {
    const agent = await loginAs(t, { username: 'dave' });
    const rows = await sessionRows();
    await agent.post('/logout').set('Accept', 'text/html').expect(403);
    await agent.post('/logout').type('form').send({ _csrf: 'wrong' }).expect(403);
    await agent.get('/api/v1/me').expect(200);
    const token = await csrf(agent, '/');
    const out = await agent.post('/logout').type('form').send({ _csrf: token }).expect(303);
    expect(out.headers.location).toBe('/');
    await agent.get('/api/v1/me').expect(401);
    expect(await sessionRows()).toBe(rows - 1);
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain('>Log in</a>');
  });

  it('sets a httpOnly, sameSite=lax session cookie, not secure on an http base URL', async () => {
    const agent = request.agent(t.app.getHttpServer());
    const authorize = await startLogin(agent);
    const callback = await passProvider(authorize, { sub: 'erin' }, provider.redirectUrl);
    const res = await agent.get(pathOf(callback)).expect(302);
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) =>
      c.startsWith('accolades.sid='),
    )!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    expect(cookie).toMatch(/Expires=/);
  });
});

describe('sessions across a restart', () => {
  let provider: TestOidcProvider;
  let db: TestDatabase;

  beforeAll(async () => {
    provider = await startOidcProvider();
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await provider?.stop();
    await db?.drop();
  });

  it('keeps people logged in when the service restarts (sessions are in the database)', async () => {
    const first = await createTestApp({ db, env: provider.env });
    let cookie: string;
    try {
      const agent: Agent = await loginAs(first, { username: 'frank' });
      await agent.get('/api/v1/me').expect(200);
      cookie = sessionCookieOf(agent);
    } finally {
      await first.close();
    }
    const second = await createTestApp({ db, env: provider.env });
    try {
      const me = await second.http().get('/api/v1/me').set('Cookie', cookie).expect(200);
      expect(me.body).toMatchObject({ via: 'session', nickname: 'frank' });
    } finally {
      await second.close();
    }
  });

  it('prunes expired sessions and ignores them meanwhile', async () => {
    const app = await createTestApp({ db, env: provider.env });
    try {
      const agent = await loginAs(app, { username: 'gina' });
      await app.dataSource.query(
        `UPDATE http_sessions SET expires_at = now() - interval '1 second' WHERE sess->'viewer'->>'nickname' = 'gina'`,
      );
      await agent.get('/api/v1/me').expect(401);
      const { DbSessionStore } = await import('../../src/modules/auth/session-store');
      expect(await app.get(DbSessionStore).prune()).toBeGreaterThanOrEqual(1);
      const left = await app.dataSource.query(
        `SELECT count(*) AS n FROM http_sessions WHERE sess->'viewer'->>'nickname' = 'gina'`,
      );
      expect(Number(left[0].n)).toBe(0);
    } finally {
      await app.close();
    }
  });
});

describe('behind an https proxy', () => {
  let provider: TestOidcProvider;
  let t: TestApp;

  beforeAll(async () => {
    provider = await startOidcProvider();
    t = await createTestApp({
      env: {
        ...provider.env,
        NODE_ENV: 'production',
        ACCOLADES_BASE_URL: 'https://badges.example.org',
      },
    });
  });

  afterAll(async () => {
    await t?.close();
    await provider?.stop();
  });

  it('sets Secure cookies when the base URL is https', async () => {
    const start = await t.http().get('/login').set('X-Forwarded-Proto', 'https').expect(302);
    const pending = String(start.headers['set-cookie']);
    expect(pending).toMatch(/accolades\.sid=.*; HttpOnly; Secure; SameSite=Lax/);
    const callback = await passProvider(
      start.headers.location as string,
      { sub: 'sam' },
      provider.redirectUrl,
    );
    const back = await t
      .http()
      .get(pathOf(callback))
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', pending.split(';')[0])
      .expect(302);
    expect(String(back.headers['set-cookie'])).toMatch(/; Secure/);
  });
});

describe('without OIDC_ISSUER', () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp()));
  afterAll(() => t?.close());

  it('says login is not configured instead of failing', async () => {
    const res = await t.http().get('/login').set('Accept', 'text/html');
    expect(res.status).toBe(503);
    expect(res.text).toContain('Login is not configured on this server');
    const json = await t.http().get('/login').set('Accept', 'application/json');
    expect(json.body.code).toBe('AUTH.NOT_CONFIGURED');
  });
});

describe('with the provider down', () => {
  let t: TestApp;
  beforeAll(async () => {
    const port = await freePort();
    t = await createTestApp({
      env: { OIDC_ISSUER: `http://127.0.0.1:${port}`, OIDC_CLIENT_ID: 'accolades' },
    });
  });
  afterAll(() => t?.close());

  it('answers 503 at login, and the rest of the site works', async () => {
    const res = await t.http().get('/login').set('Accept', 'application/json').expect(503);
    expect(res.body.code).toBe('AUTH.PROVIDER_UNAVAILABLE');
    await t.http().get('/').expect(200);
  });
});

describe('login rate limit', () => {
  let provider: TestOidcProvider;
  let t: TestApp;

  beforeAll(async () => {
    provider = await startOidcProvider();
    t = await createTestApp({
      env: { ...provider.env, ACCOLADES_RATE_LIMIT_LOGIN: '3', ACCOLADES_RATE_LIMIT_CLAIM: '2' },
    });
  });

  afterAll(async () => {
    await t?.close();
    await provider?.stop();
  });

  it('answers 429 with a clear page once the limit is reached', async () => {
    for (let i = 0; i < 3; i++) await t.http().get('/login').expect(302);
    const page = await t.http().get('/login').set('Accept', 'text/html').expect(429);
    expect(page.text).toContain('Too many requests');
    expect(page.headers['retry-after']).toBeDefined();
    const json = await t
      .http()
      .get('/login/callback?code=x&state=y')
      .set('Accept', 'application/json')
      .expect(429);
    expect(json.body).toEqual({
      statusCode: 429,
      code: 'RATE.LIMITED',
      message: expect.any(String),
    });
    // Other pages are not limited.
    await t.http().get('/about').expect(200);
  });

  it('limits invitation claims (/claim/...) separately', async () => {
    // Counted before routing: unknown codes count too (guessing codes is the abuse).
    for (let i = 0; i < 2; i++) {
      expect((await t.http().get(`/claim/guess-${i}`)).status).not.toBe(429);
    }
    const res = await t.http().get('/claim/guess-3').set('Accept', 'text/html').expect(429);
    expect(res.text).toContain('Too many requests');
  });
});

/** The session cookie an agent holds, as a Cookie header. */
function sessionCookieOf(agent: Agent): string {
  const jar = (
    agent as unknown as { jar: { getCookies(a: unknown): { name: string; value: string }[] } }
  ).jar;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { CookieAccessInfo } = require('cookiejar') as { CookieAccessInfo: { All: unknown } };
  const c = jar.getCookies(CookieAccessInfo.All).find((x) => x.name === 'accolades.sid');
  if (!c) throw new Error('the agent holds no session cookie');
  return `${c.name}=${c.value}`;
}
