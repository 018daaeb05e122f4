/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { axeViolations, type Browser, describeViolations, openBrowser } from '../support/browser';
import { freePort } from '../support/login';
import { createTestApp, type TestApp } from '../support/test-app';
import { seedDemo } from '../../src/demo/demo-seeder';
import { AwardsService } from '../../src/modules/awards/awards.service';
import { ProgressService } from '../../src/modules/awards/progress.service';
import { BadgesService } from '../../src/modules/badges/badges.service';
import { IssuersService } from '../../src/modules/badges/issuers.service';
import { SeriesService } from '../../src/modules/badges/series.service';
import { UsersService } from '../../src/modules/users/users.service';

const ROOT = join(__dirname, '..', '..');
// The committed screenshots are refreshed on request (ACCOLADES_SCREENSHOTS=1 npm test);
// ordinary runs write them to a scratch directory so a test run leaves the tree clean.
const SHOTS = process.env.ACCOLADES_SCREENSHOTS
  ? join(ROOT, 'docs', 'screenshots')
  : join(tmpdir(), 'accolades-screenshots');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };

/**
 * Every page type in Debian's Chromium on the demo collection: content, links followed,
 * keyboard use, escaping, no horizontal scrolling on a phone, zero axe-core violations
 * (WCAG 2.1 A and AA) at both widths, and a screenshot of each at both widths.
 */
describe('pages in a browser', () => {
  let t: TestApp;
  let b: Browser;
  let withProgress: string;
  const year = new Date().getUTCFullYear();
  const month = new Date().getUTCMonth() + 1;

  beforeAll(async () => {
    // Open Badges pages link and show art by absolute URLs on ACCOLADES_BASE_URL: make it
    // the address the browser reaches.
    const port = await freePort();
    t = await createTestApp({
      listen: true,
      port,
      env: { ACCOLADES_BASE_URL: `http://127.0.0.1:${port}` },
    });
    await seedDemo(join(ROOT, 'src', 'demo', 'collection'), {
      ds: t.dataSource,
      issuers: t.get(IssuersService),
      badges: t.get(BadgesService),
      series: t.get(SeriesService),
      users: t.get(UsersService),
      awards: t.get(AwardsService),
      progress: t.get(ProgressService),
    });
    const issuer = (await t.get(IssuersService).findByName('Accolades Demo'))!;
    await t.get(BadgesService).create({
      id: 'evil',
      name: 'Evil <img src=x onerror="window.__xss=1">',
      image: 'mentor.svg',
      description: 'A rule said <script>window.__xss=2</script> here.',
      criteria: 'https://example.org/evil',
      issuerId: issuer.id,
      tags: ['community'],
    });
    await t.get(AwardsService).grant({ badgeId: 'evil', nickname: 'aurora' });
    await t.get(UsersService).setOptOut('zephyr', true);
    const [row] = await t.dataSource.query(
      `SELECT p.nickname FROM current_values cv JOIN persons p ON p.id = cv.person_id
        WHERE cv.target IS NOT NULL AND NOT p.opt_out ORDER BY cv.value DESC, p.nickname LIMIT 1`,
    );
    withProgress = row.nickname;
    b = await openBrowser(t.url!);
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  const go = async (path: string, status = 200) => {
    const res = await b.page.goto(t.url + path, { waitUntil: 'load' });
    expect(res?.status()).toBe(status);
  };
  const h1 = () => b.page.locator('h1').first().innerText();

  /** Axe at both widths, no sideways scrolling on the phone, and the two screenshots. */
  const check = async (name: string) => {
    for (const [label, size] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      await b.page.setViewportSize(size);
      await b.page.reload({ waitUntil: 'load' });
      const violations = await axeViolations(b.page);
      expect({ page: `${name} (${label})`, violations: describeViolations(violations) }).toEqual({
        page: `${name} (${label})`,
        violations: '',
      });
      if (label === 'phone') {
        const overflow = await b.page.evaluate(
          () => document.documentElement.scrollWidth - window.innerWidth,
        );
        expect({ page: name, overflow }).toEqual({ page: name, overflow: 0 });
      }
      // Load images below the fold too, so the full-page screenshot shows them.
      await b.page.evaluate(() =>
        document.querySelectorAll('img[loading="lazy"]').forEach((img) => {
          (img as HTMLImageElement).loading = 'eager';
        }),
      );
      await b.page.waitForLoadState('networkidle');
      await b.page.screenshot({ path: join(SHOTS, `${name}-${label}.png`), fullPage: true });
    }
    await b.page.setViewportSize(DESKTOP);
  };

  it('home: newest awards, top collectors, totals', async () => {
    await go('/');
    expect(await h1()).toBe('Recognition for the people who make Fedora');
    expect(await b.page.locator('.awards .award').count()).toBe(10);
    expect(await b.page.locator('#week-h').innerText()).toBe('Top collectors this week');
    await check('home');
  });

  it('explore: tags, newest and most earned badges', async () => {
    await go('/explore');
    expect(await h1()).toBe('Explore');
    expect(await b.page.getByRole('link', { name: /^qa \d+$/ }).count()).toBe(1);
    await check('explore');
  });

  it('search from the header finds badges, people and tags', async () => {
    await go('/');
    await b.page.getByLabel('Search badges, people and tags').fill('tester');
    await Promise.all([b.page.waitForURL(/\/explore\?q=tester/), b.page.keyboard.press('Enter')]);
    expect(await h1()).toBe('Search results for “tester”');
    await expect(b.page.locator('.tiles').first().innerText()).resolves.toContain('Steady Tester');
    await check('search');
  });

  it('badges by tag and a tag page with all of two tags', async () => {
    await go('/explore/badges');
    expect(await h1()).toBe('Badges by tag');
    await check('badges-by-tag');
    await go('/tags/qa,bodhi/all');
    expect(await h1()).toBe('Badges tagged all of qa, bodhi');
    expect(await b.page.locator('.tiles li').count()).toBe(4);
    await check('tag');
  });

  it('badge page: figures, series neighbours, holders; links lead to profiles', async () => {
    await go('/badge/steady-tester');
    expect(await h1()).toBe('Steady Tester');
    await expect(b.page.locator('.ladder-nav').innerText()).resolves.toMatch(
      /Step 2 of 4 in the series Update Tester/,
    );
    expect(await b.page.locator('meta[property="og:image"]').getAttribute('content')).toMatch(
      /\/pngs\/steady-tester\.svg$/,
    );
    const holders = b.page.locator('.holders .person');
    expect(await holders.count()).toBeGreaterThan(3);
    await check('badge');
    const nickname = (await holders.first().innerText()).trim();
    await Promise.all([b.page.waitForURL(`**/user/${nickname}`), holders.first().click()]);
    expect(await h1()).toBe(nickname);
  });

  it('profile: rank, series progress, history; the avatar falls back offline', async () => {
    await go(`/user/${withProgress}`);
    expect(await h1()).toBe(withProgress);
    const progress = b.page.locator('.ladder__next progress').first();
    const label = await b.page.locator('.ladder__next label').first().innerText();
    expect(label).toMatch(/^Next: .+, \d+ of \d+$/);
    const [, value, max] = /(\d+) of (\d+)$/.exec(label)!;
    expect(await progress.getAttribute('value')).toBe(value);
    expect(await progress.getAttribute('max')).toBe(max);
    // Libravatar is unreachable here: the page shows the local image instead.
    await b.page.waitForFunction(() =>
      (document.querySelector('.avatar--large') as HTMLImageElement).src.endsWith(
        '/assets/img/avatar.svg',
      ),
    );
    await check('profile');
  });

  it('compare two people from the profile form', async () => {
    await go('/user/aurora');
    await b.page.getByLabel('Compare aurora with').fill('bramble');
    await Promise.all([
      b.page.waitForURL('**/diff/aurora/bramble'),
      b.page.getByRole('button', { name: 'Compare' }).click(),
    ]);
    expect(await h1()).toBe('aurora and bramble');
    expect(await b.page.locator('#shared-h').innerText()).toMatch(/^Both have \(\d+\)$/);
    await check('compare');
  });

  it('leaderboard: all time, periods and dated reports; rows lead to profiles', async () => {
    await go('/leaderboard');
    expect(await h1()).toBe('Leaderboard');
    const rows = b.page.locator('table.board tbody tr');
    expect(await rows.count()).toBe(39); // 40 demo people, one opted out
    expect(await b.page.locator('table.board').innerText()).not.toContain('zephyr');
    await check('leaderboard');
    await b.page.getByRole('link', { name: 'This week' }).click();
    await b.page.waitForURL('**/leaderboard?period=week');
    expect(await h1()).toBe('Rising stars: this week');
    await check('leaderboard-week');
    await go(`/report/${year}/${month}`);
    expect(await h1()).toMatch(new RegExp(`^Rising stars of \\w+ ${year}$`));
    await check('report-month');
    const first = b.page.locator('table.board tbody .person').first();
    const nickname = (await first.innerText()).trim();
    await Promise.all([b.page.waitForURL(`**/user/${nickname}`), first.click()]);
  });

  it('series list and a series', async () => {
    await go('/series');
    expect(await h1()).toBe('Series');
    await check('series-list');
    await b.page.getByRole('link', { name: 'Update Tester' }).click();
    await b.page.waitForURL('**/series/update-tester');
    expect(await b.page.locator('.step__name').allInnerTexts()).toEqual([
      'First Steps Tester',
      'Steady Tester',
      'Seasoned Tester',
      'Tireless Tester',
    ]);
    await check('series');
  });

  it('about page', async () => {
    await go('/about');
    expect(await h1()).toBe('About Fedora Badges');
    await check('about');
  });

  it('404 and 500 pages look like the site', async () => {
    await go('/badge/no-such-badge', 404);
    expect(await h1()).toBe('Not found');
    await expect(b.page.locator('nav[aria-label="Main"]').isVisible()).resolves.toBe(true);
    await check('not-found');
    await go('/user/zephyr', 404); // opted out: not found to others
    await t.dataSource.query(`ALTER TABLE series RENAME TO series_away`);
    try {
      // A URL not served before (a renamed table moves no change stamp: /series is cached).
      await go('/series?broken=1', 500);
      expect(await h1()).toBe('Something went wrong');
      await b.page.setViewportSize(DESKTOP);
      expect(describeViolations(await axeViolations(b.page))).toBe('');
      await b.page.screenshot({ path: join(SHOTS, 'server-error-desktop.png'), fullPage: true });
      await b.page.setViewportSize(PHONE);
      expect(describeViolations(await axeViolations(b.page))).toBe('');
      await b.page.screenshot({ path: join(SHOTS, 'server-error-phone.png'), fullPage: true });
      await b.page.setViewportSize(DESKTOP);
    } finally {
      await t.dataSource.query(`ALTER TABLE series_away RENAME TO series`);
    }
  });

  it('keyboard: the skip link is first and moves focus to the content', async () => {
    await go('/leaderboard');
    await b.page.keyboard.press('Tab');
    const skip = await b.page.evaluate(() => document.activeElement?.textContent?.trim());
    expect(skip).toBe('Skip to main content');
    await b.page.keyboard.press('Enter');
    await b.page.waitForFunction(() => document.activeElement?.id === 'main');
    // Focus is visible on links (a box-shadow ring).
    await b.page.keyboard.press('Tab');
    const ring = await b.page.evaluate(
      () => getComputedStyle(document.activeElement as Element).boxShadow,
    );
    expect(ring).not.toBe('none');
  });

  it('never runs markup from a badge name or a rule-made description', async () => {
    await go('/badge/evil');
    expect(await h1()).toBe('Evil <img src=x onerror="window.__xss=1">');
    await expect(b.page.locator('.badge-head .lead').innerText()).resolves.toBe(
      'A rule said <script>window.__xss=2</script> here.',
    );
    const ran = () => b.page.evaluate(() => (window as { __xss?: number }).__xss);
    expect(await ran()).toBeUndefined();
    for (const path of ['/user/aurora', '/', '/explore?q=evil', '/tags/community/any']) {
      await go(path);
      await expect(b.page.locator('main').innerText()).resolves.toContain('Evil <img src=x');
      expect(await ran()).toBeUndefined();
    }
  });

  it('Open Badges views: assertion, badge class, issuer profile and a revoked assertion (410)', async () => {
    // A fresh award of a badge aurora lacks, with evidence, so earlier pages stay as they were.
    const [{ id: badgeId }] = await t.dataSource.query(
      `SELECT b.id FROM badges b
        WHERE b.id <> 'evil' AND NOT EXISTS (
          SELECT 1 FROM assertions a JOIN persons p ON p.id = a.person_id
           WHERE a.badge_id = b.id AND p.nickname = 'aurora')
        ORDER BY b.id LIMIT 1`,
    );
    const evidence = 'https://bodhi.fedoraproject.org/updates/FEDORA-2026-0a1b2c';
    const { assertion, badge } = await t
      .get(AwardsService)
      .grant({ badgeId, nickname: 'aurora', issuedFor: evidence });
    const assertionPath = `/openbadges/v2/assertions/${encodeURIComponent(assertion.id)}`;

    // The browser asks for text/html on the verification URL and gets a page.
    await go(assertionPath);
    expect(await h1()).toBe(badge.name);
    await expect(b.page.locator('main dl').innerText()).resolves.toContain('Accolades Demo');
    expect(await b.page.getByRole('link', { name: evidence }).getAttribute('href')).toBe(evidence);
    await expect(b.page.locator('main code').innerText()).resolves.toBe(t.url + assertionPath);
    await check('openbadges-assertion');

    await Promise.all([
      b.page.waitForURL(`**/openbadges/v2/badges/${encodeURIComponent(badgeId)}`),
      b.page.getByRole('link', { name: 'Badge class' }).click(),
    ]);
    expect(await h1()).toBe(badge.name);
    await expect(b.page.locator('.openbadges__kind').innerText()).resolves.toBe(
      'Open Badges badge class',
    );
    await expect(b.page.locator('main pre').innerText()).resolves.toContain('"type": "BadgeClass"');
    await check('openbadges-badge');

    await go(assertionPath);
    await Promise.all([
      b.page.waitForURL(/\/openbadges\/v2\/issuers\/\d+$/),
      b.page.getByRole('link', { name: 'Accolades Demo' }).click(),
    ]);
    expect(await h1()).toBe('Accolades Demo');
    await expect(b.page.locator('main pre').innerText()).resolves.toContain('"type": "Issuer"');
    await check('openbadges-issuer');

    await t.get(AwardsService).revoke(badgeId, 'aurora', 'Awarded by mistake');
    await go(assertionPath, 410);
    expect(await h1()).toBe('Revoked');
    await expect(b.page.locator('main').innerText()).resolves.toContain(
      'This award was revoked: Awarded by mistake',
    );
    await check('openbadges-revoked');
  });
});
