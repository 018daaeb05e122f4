import { AuthorizationsService } from '../../src/modules/awards/authorizations.service';
import {
  axeViolations,
  describeViolations,
  logInWithBrowser,
  openBrowser,
  type Browser,
} from '../support/browser';
import { makeBadge, makePerson } from '../support/factories';
import { freePort } from '../support/login';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc';
import { createTestApp, type TestApp } from '../support/test-app';
import type { Page } from 'playwright-core';

/**
 * Granting in Chromium: an admin grants a badge to a list of people through the preview,
 * a granter hands out an invitation and someone else claims it; every new page type passes
 * axe-core's WCAG 2.1 AA rules.
 */
describe('granting badges in a browser', () => {
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
    await makeBadge(t, { name: 'Flock 2026', tags: ['events'] });
    await makeBadge(t, { name: 'Mentor' });
    for (const n of ['ann', 'bob', 'gina']) await makePerson(t, n);
    await t.get(AuthorizationsService).add('mentor', 'gina');
    await provider.addAccount({ username: 'boss', groups: ['sysadmin-badges'] });
    await provider.addAccount({ username: 'gina' });
    await provider.addAccount({ username: 'zoe' });
    browser = await openBrowser(t.url!, { alsoAllow: [provider.issuer] });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await provider?.stop();
  });

  async function expectAccessible(page: Page) {
    expect(describeViolations(await axeViolations(page))).toBe('');
  }

  async function logOut(page: Page) {
    await page.goto(`${t.url}/`);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('link', { name: 'Log in' }).waitFor();
    // The provider remembers who logged in there: the next person starts afresh.
    await page.context().clearCookies();
  }

  it('an admin grants a badge to several people: preview, then confirm', async () => {
    const { page } = browser;
    await page.goto(`${t.url}/`);
    await logInWithBrowser(page, 'boss');
    await page.goto(`${t.url}/admin/badges/flock-2026/grant`);
    await expectAccessible(page);
    await page.getByLabel('Account names').fill('ann bob ghost');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('heading', { name: 'Will get the badge (2)' }).waitFor();
    await expect(page.locator('main').textContent()).resolves.toContain('ghost');
    await expectAccessible(page);
    expect(
      await t.dataSource.query(`SELECT 1 FROM assertions WHERE badge_id = 'flock-2026'`),
    ).toEqual([]);
    await page.getByRole('button', { name: 'Confirm: Grant for 2 people' }).click();
    await page.getByText('Granted to 2 people.').waitFor();
    const rows = await t.dataSource.query(
      `SELECT p.nickname FROM assertions a JOIN persons p ON p.id = a.person_id
        WHERE a.badge_id = 'flock-2026' ORDER BY 1`,
    );
    expect(rows.map((r: { nickname: string }) => r.nickname)).toEqual(['ann', 'bob']);
  });

  it('the admin pages meet WCAG 2.1 AA', async () => {
    const { page } = browser;
    await page.goto(`${t.url}/admin/series/new`);
    await page.getByLabel('Name', { exact: true }).fill('Events');
    await page.getByRole('button', { name: 'Create series' }).click();
    await page.getByText('The series was saved.').waitFor();
    await page.getByLabel('Add a badge (its id)').fill('flock-2026');
    await page.getByRole('button', { name: 'Add step' }).click();
    await page.getByRole('button', { name: 'Move Flock 2026', exact: true }).waitFor();
    for (const path of [
      '/admin',
      '/admin/issuers',
      '/admin/issuers/new',
      '/admin/badges',
      '/admin/badges/new',
      '/admin/badges/mentor',
      '/admin/badges/flock-2026/revoke',
      '/admin/series',
      '/admin/series/events',
    ]) {
      const res = await page.goto(`${t.url}${path}`);
      expect(res?.status()).toBe(200);
      await expectAccessible(page);
    }
    // A form with errors, too.
    await page.goto(`${t.url}/admin/issuers/new`);
    await page.getByRole('button', { name: 'Create issuer' }).click();
    await page.getByText('The issuer was not saved').waitFor();
    await expectAccessible(page);
    await logOut(page);
  });

  it('a granter creates an invitation and someone else claims it after logging in', async () => {
    const { page } = browser;
    await page.goto(`${t.url}/badge/mentor`);
    await logInWithBrowser(page, 'gina');
    await page.getByRole('heading', { name: 'Grant this badge' }).waitFor();
    await expectAccessible(page);
    await page.getByRole('link', { name: /Invitations/ }).click();
    await page.getByLabel('Expires (date and time, UTC)').fill('2099-06-01T09:30');
    await page.getByRole('button', { name: 'Create invitation' }).click();
    await page.getByText('The invitation was created').waitFor();
    const qr = page.locator('img.qr-code').first();
    await qr.waitFor();
    expect(await qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(100);
    await expectAccessible(page);
    const claimUrl = (await page.locator('td a[href*="/claim/"]').first().getAttribute('href'))!;
    expect(claimUrl).toMatch(new RegExp(`^${t.url}/claim/[A-Za-z0-9_-]{22}$`));
    await logOut(page);

    // Zoe follows the link: login first, then back on the claim page.
    await page.goto(claimUrl);
    await page.locator('input[name="login"]').fill('zoe');
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Claim the badge' }).waitFor();
    expect(page.url()).toBe(claimUrl);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Claim the badge' }).click();
    await page.getByText('You claimed this badge.').waitFor();
    expect(new URL(page.url()).pathname).toBe('/badge/mentor');
    await expectAccessible(page);
    // Following the link again is friendly.
    await page.goto(claimUrl);
    await page.getByRole('heading', { name: 'You already hold Mentor' }).waitFor();
    await expectAccessible(page);
  });
});
