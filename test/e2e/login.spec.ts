import type * as amqp from 'amqplib';
import {
  axeViolations,
  describeViolations,
  logInWithBrowser,
  openBrowser,
  type Browser,
} from '../support/browser';
import { makeBadge, makePerson, award } from '../support/factories';
import { freePort, loginAs } from '../support/login';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc';
import {
  createTestVhost,
  eventually,
  type TestVhost,
  type TopicWatcher,
  watchTopic,
} from '../support/rabbitmq';
import { createTestApp, type TestApp } from '../support/test-app';

/** Logging in from Debian's Chromium, clicking through the real provider's forms. */
describe('login in a browser', () => {
  let provider: TestOidcProvider;
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    provider = await startOidcProvider({ redirectUrl: `${base}/login/callback` });
    t = await createTestApp({
      listen: true,
      port,
      env: { ...provider.env, ACCOLADES_BASE_URL: base, ACCOLADES_AVATAR_BASE_URL: 'none' },
    });
    await makeBadge(t, { name: 'Tester' });
    await makePerson(t, 'ann');
    await award(t, 'tester', 'ann');
    await provider.addAccount({ username: 'ann', groups: ['sysadmin-badges'] });
    browser = await openBrowser(t.url!, { alsoAllow: [provider.issuer] });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await provider?.stop();
  });

  it('logs in through the provider and comes back to the page, logged in', async () => {
    const { page } = browser;
    await page.goto(`${t.url}/badge/tester`);
    await logInWithBrowser(page, 'ann');
    expect(new URL(page.url()).pathname).toBe('/badge/tester');
    await expect(page.locator('.account__me').textContent()).resolves.toBe('ann');
    await expect(page.locator('main').textContent()).resolves.toContain('You hold this badge');
  });

  it('offers the holder Download, Copy verification URL and Add to backpack', async () => {
    const { page } = browser;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: t.url!,
    });
    for (const path of ['/badge/tester', '/user/ann']) {
      await page.goto(`${t.url}${path}`);
      const actions = page.locator('.assertion-actions').first();
      const copy = actions.getByRole('link', { name: /Copy verification URL/ });
      const url = await copy.getAttribute('data-copy');
      expect(url).toMatch(/\/openbadges\/v2\/assertions\/[^/]+$/);
      await copy.click();
      await actions.getByText('Verification URL copied').waitFor();
      expect(new URL(page.url()).pathname).toBe(path); // copied, not followed
      await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(url);
      // The copied URL verifies: the hosted assertion of this award.
      const assertion = await page.request.get(url!, {
        headers: { Accept: 'application/ld+json' },
      });
      expect(assertion.status()).toBe(200);
      expect((await assertion.json()).badge).toMatch(/\/openbadges\/v2\/badges\/tester$/);
      const download = await actions.getByRole('link', { name: /Download/ }).getAttribute('href');
      expect(download).toBe(`${url}/image?download=1`);
      await actions.getByText('Add to backpack').click();
      await expect(actions.locator('.backpack-help p').isVisible()).resolves.toBe(true);
      expect(describeViolations(await axeViolations(page))).toBe('');
    }
  });

  it('submits a settings form (with its CSRF token) and opens the admin pages', async () => {
    const { page } = browser;
    await page.goto(`${t.url}/settings/profile`);
    await page.locator('#bio').fill('Clicked in Chromium');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Your profile was saved.').waitFor();
    const [row] = await t.dataSource.query(`SELECT bio FROM persons WHERE nickname = 'ann'`);
    expect(row.bio).toBe('Clicked in Chromium');
    // The new pages meet WCAG 2.1 AA like the rest of the site.
    for (const path of ['/settings/profile', '/settings/tokens']) {
      await page.goto(`${t.url}${path}`);
      const violations = await axeViolations(page);
      expect(describeViolations(violations)).toBe('');
    }
    const audit = await page.goto(`${t.url}/admin/audit`);
    expect(audit?.status()).toBe(200);
    await expect(page.locator('main').textContent()).resolves.toContain('role.change');
    expect(describeViolations(await axeViolations(page))).toBe('');
  });

  it('logs out with the button', async () => {
    const { page } = browser;
    await page.goto(`${t.url}/`);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('link', { name: 'Log in' }).waitFor();
    // The browser's cookie no longer names a session.
    expect((await page.request.get(`${t.url}/api/v1/me`)).status()).toBe(401);
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*) AS n FROM http_sessions WHERE sess->'viewer'->>'nickname' = 'ann'`,
    );
    expect(Number(n)).toBe(0);
  });
});

/** badges.person.login.first on the broker, through the outbox. */
describe('first-login notification', () => {
  let vhost: TestVhost;
  let provider: TestOidcProvider;
  let t: TestApp;
  let watcher: TopicWatcher;
  const QUEUE = 'logins';

  beforeAll(async () => {
    vhost = await createTestVhost();
    watcher = await watchTopic(vhost.url, QUEUE, 'org.fedoraproject.test.badges.person.#');
    provider = await startOidcProvider();
    t = await createTestApp({
      env: {
        ...provider.env,
        AMQP_URL: vhost.url,
        ACCOLADES_TOPIC_PREFIX: 'org.fedoraproject.test',
      },
    });
  });

  afterAll(async () => {
    await t?.close();
    await provider?.stop();
    await watcher?.close();
    await vhost?.remove();
  });

  async function take(n: number): Promise<amqp.GetMessage[]> {
    const got: amqp.GetMessage[] = [];
    await eventually(async () => {
      const m = await watcher.get();
      if (m) got.push(m);
      return got.length >= n;
    }, `${n} notifications`);
    return got;
  }

  it('is published once, at the first login of a new person', async () => {
    await loginAs(t, { username: 'newbie' });
    const [msg] = await take(1);
    expect(msg.fields.routingKey).toBe('org.fedoraproject.test.badges.person.login.first');
    const [person] = await t.dataSource.query(`SELECT id FROM persons WHERE nickname = 'newbie'`);
    expect(JSON.parse(msg.content.toString())).toEqual({
      user: { username: 'newbie', badges_user_id: person.id },
    });
    expect(msg.properties.headers?.fedora_messaging_schema).toBe('tahrir.person.login.first.v1');
    await loginAs(t, { username: 'newbie' });
    // A later login publishes nothing: wait for the outbox to drain, then look.
    await eventually(async () => {
      const [{ n }] = await t.dataSource.query(`SELECT count(*) AS n FROM outbox`);
      return Number(n) === 0;
    }, 'an empty outbox');
    expect(await watcher.get()).toBe(false);
  });

  it('is published at the first login of a person who already held badges', async () => {
    await makeBadge(t, { name: 'Early' });
    await makePerson(t, 'veteran');
    await award(t, 'early', 'veteran');
    await loginAs(t, { username: 'veteran' });
    // The award's rank advance comes first on this binding: look for the login.
    let first: amqp.GetMessage | undefined;
    await eventually(async () => {
      const m = await watcher.get();
      if (m && m.fields.routingKey.endsWith('login.first')) first = m;
      return Boolean(first);
    }, 'the login.first notification');
    expect(JSON.parse(first!.content.toString()).user.username).toBe('veteran');
  });
});
