import { startOidcProvider, type TestOidcProvider } from '../support/oidc';
import { loginAs, pathOf, passProvider, startLogin } from '../support/login';
import { createTestApp, type TestApp } from '../support/test-app';
import request from 'supertest';

describe('login with a Fedora account (real OIDC provider)', () => {
  let provider: TestOidcProvider;
  let t: TestApp;

  beforeAll(async () => {
    provider = await startOidcProvider();
    t = await createTestApp({ env: provider.env });
  });

  afterAll(async () => {
    await t?.close();
    await provider?.stop();
  });

  it('logs in through the provider and shows the account corner', async () => {
    const agent = await loginAs(t, { username: 'alice' });
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain('class="account__me" href="/user/alice">alice</a>');
    expect(home.text).toContain('Log out');
    const me = await agent.get('/api/v1/me').expect(200);
    expect(me.body).toMatchObject({ via: 'session', nickname: 'alice', isAdmin: false });
  });

  it('refuses a callback with a tampered state, leaving no session', async () => {
    const agent = request.agent(t.app.getHttpServer());
    const authorize = await startLogin(agent);
    const account = await provider.addAccount({ username: 'mallory' });
    const callback = new URL(await passProvider(authorize, account, provider.redirectUrl));
    callback.searchParams.set('state', 'forged');
    const res = await agent.get(pathOf(callback.toString()));
    expect(res.status).toBe(401);
    expect(res.text).toContain('Login failed');
    await agent.get('/api/v1/me').expect(401);
  });
});
