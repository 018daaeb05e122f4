import { award, makeBadge, makeIssuer, makePerson } from '../support/factories';
import { metaContent, renderView, textOf } from '../support/pages';
import { createTestApp, type TestApp } from '../support/test-app';
import { AwardsService } from '../../src/modules/awards/awards.service';
import { ProgressService } from '../../src/modules/awards/progress.service';
import { SeriesService } from '../../src/modules/badges/series.service';
import { UsersService } from '../../src/modules/users/users.service';
import { BadgePresenter } from '../../src/modules/web/badges/badge.presenter';
import { LeaderboardPresenter } from '../../src/modules/web/leaderboard/leaderboard.presenter';
import { SeriesPresenter } from '../../src/modules/web/series/series.presenter';
import { UserPresenter } from '../../src/modules/web/users/user.presenter';
import type { Viewer } from '../../src/common/viewer';
import { formatDate } from '../../src/modules/web/format';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

/**
 * The pages door on a small collection: a three-step ladder, a popular badge with more
 * holders than one page, people with ties, one person who opted out, progress values, and
 * markup in a badge name, a bio and a description to prove it is escaped.
 */
describe('web pages', () => {
  let t: TestApp;
  let ada: Viewer;

  /**
   * The actions on one's own award: the verification URL (copied by the page's script)
   * answers the assertion of that badge, the download link is its baked image, and the
   * backpack help is there (no backpack import URL configured).
   */
  async function expectShareActions(html: string, badgeId: string): Promise<void> {
    const copy =
      /href="http:\/\/[^/]+(\/openbadges\/v2\/assertions\/[^"]+)" data-copy="http:\/\/[^/]+\1">Copy verification URL/.exec(
        html,
      );
    expect(copy).not.toBeNull();
    const path = copy![1];
    expect(html).toContain(
      `href="${html.match(/http:\/\/[^/"]+/)![0]}${path}/image?download&#x3D;1" download>Download`,
    );
    const assertion = await t.http().get(path).set('Accept', 'application/ld+json').expect(200);
    expect(JSON.parse(assertion.text).badge).toMatch(
      new RegExp(`/openbadges/v2/badges/${badgeId}$`),
    );
    expect(textOf(html)).toContain('Add to backpack');
  }

  beforeAll(async () => {
    t = await createTestApp({ env: { ACCOLADES_AVATAR_BASE_URL: 'none' } });
    const issuer = await makeIssuer(t, 'Fedora Project');
    const tags = (...x: string[]) => x;
    for (const [i, name] of ['Tester I', 'Tester II', 'Tester III'].entries()) {
      await makeBadge(t, {
        name,
        tags: tags('qa', 'bodhi'),
        issuerId: issuer.id,
        description: `Tested ${i + 1}`,
      });
    }
    await makeBadge(t, { name: 'Hello World', tags: tags('community'), issuerId: issuer.id });
    await makeBadge(t, {
      name: 'Koji Builder',
      tags: tags('packaging', 'qa'),
      issuerId: issuer.id,
    });
    await makeBadge(t, {
      id: 'evil',
      name: '<script>alert("badge")</script>',
      tags: tags('community'),
      issuerId: issuer.id,
      description: 'Rule-made <img src=x onerror=alert(1)> description',
    });
    const series = t.get(SeriesService);
    await series.create({ id: 'tester', name: 'Tester', description: 'Test updates' });
    for (const [i, b] of ['tester-i', 'tester-ii', 'tester-iii'].entries()) {
      await series.setMilestone('tester', b, i + 1);
    }
    for (const n of ['ada', 'bob', 'cyd', 'dee', 'ghost']) await makePerson(t, n);
    // ada 4, bob 2, cyd 2, dee 1 (in 2020), ghost 3 but opted out.
    await award(t, 'tester-i', 'ada', ago(30));
    await award(t, 'tester-ii', 'ada', ago(20));
    await t.get(AwardsService).grant({
      badgeId: 'hello-world',
      nickname: 'ada',
      issuedOn: ago(2),
      issuedFor: 'https://bodhi.fedoraproject.org/updates/FEDORA-2026-1',
    });
    await award(t, 'evil', 'ada', ago(1));
    await award(t, 'tester-i', 'bob', ago(25));
    await award(t, 'hello-world', 'bob', ago(3));
    await award(t, 'tester-i', 'cyd', ago(10));
    await award(t, 'koji-builder', 'cyd', ago(4));
    await award(t, 'hello-world', 'dee', new Date('2020-03-04T10:00:00Z'));
    for (const b of ['tester-i', 'tester-ii', 'hello-world']) await award(t, b, 'ghost', ago(5));
    // 32 more holders of Hello World: two pages of holders.
    for (let i = 0; i < 32; i++) {
      const nick = `extra${String(i).padStart(2, '0')}`;
      await makePerson(t, nick);
      await award(t, 'hello-world', nick, new Date(Date.UTC(2021, 0, 1 + i)));
    }
    const users = t.get(UsersService);
    await users.setOptOut('ghost', true);
    await t.dataSource.query(`UPDATE persons SET bio = $1, website = $2 WHERE nickname = 'ada'`, [
      'I <b>test</b> things <script>alert("bio")</script>',
      'javascript:alert(1)',
    ]);
    const adaPerson = (await users.findByNickname('ada'))!;
    await t.get(ProgressService).record('tester-iii', adaPerson.id, 37, undefined, 40);
    ada = { personId: adaPerson.id, nickname: 'ada', isAdmin: false };
  });

  afterAll(() => t?.close());

  const page = async (path: string, status = 200) => {
    const res = await t.http().get(path).set('Accept', 'text/html').expect(status);
    return res.text;
  };

  describe('layout', () => {
    it('has a skip link, landmarks, a labelled search and the navigation state', async () => {
      const html = await page('/leaderboard');
      expect(html).toContain('<a class="skip-link" href="#main">');
      expect(html).toMatch(/<header class="site-header">/);
      expect(html).toMatch(/<nav class="site-nav" aria-label="Main">/);
      expect(html).toMatch(/<main id="main"/);
      expect(html).toMatch(/<footer class="site-footer">/);
      expect(html).toContain('<label for="site-search-q" class="visually-hidden">');
      expect(html).toMatch(/href="\/leaderboard" aria-current="page">Leaderboard/);
      expect(html).toContain('<html lang="en">');
    });

    it('serves the fonts from the service itself', async () => {
      const css = await t.http().get('/assets/css/site.css').expect(200);
      const font = /url\('([^']+red-hat-text-latin-400-normal\.woff2)'\)/.exec(css.text)![1];
      const res = await t.http().get(font).expect(200);
      expect(res.headers['content-type']).toContain('font/woff2');
      expect(css.text).not.toMatch(/https?:\/\//);
    });
  });

  describe('home', () => {
    it('shows newest awards, the top collectors of the week and month, and totals', async () => {
      const html = await page('/');
      const text = textOf(html);
      expect(text).toMatch(/ada earned &lt;script&gt;alert\(&quot;badge&quot;\)&lt;\/script&gt;/);
      expect(text).not.toContain('ghost');
      expect(html).toContain('Top collectors this week');
      expect(text).toMatch(/Badges 6 Awards \d+ Contributors 36/);
    });
  });

  describe('badge page', () => {
    it('shows the badge, its figures, first and latest earners, and hides opted-out holders', async () => {
      const html = await page('/badge/tester-i');
      const text = textOf(html);
      expect(text).toContain('Tester I');
      expect(text).toContain('Tested 1');
      expect(text).toContain('Issued by Fedora Project');
      expect(html).toContain('href="https://example.org/criteria">How to earn it');
      expect(html).toContain('href="/tags/qa/any"');
      expect(text).toMatch(/Times awarded 4/); // ada, bob, cyd and ghost (counted, not shown)
      expect(text).toMatch(/First earners ada .* bob .* cyd/);
      expect(text).toMatch(/Holders \(3\)/);
      expect(text).not.toContain('ghost');
    });

    it('links the previous and next badge of its series', async () => {
      const text = textOf(await page('/badge/tester-ii'));
      expect(text).toMatch(/Step 2 of 3 in the series Tester/);
      expect(text).toMatch(/Previous Tester I/);
      expect(text).toMatch(/Next Tester III/);
    });

    it('paginates holders, newest first', async () => {
      const first = textOf(await page('/badge/hello-world'));
      expect(first).toMatch(/Holders \(35\)/);
      expect(first).toContain('Page 1 of 2');
      const second = await page('/badge/hello-world?page=2');
      expect(textOf(second)).toContain('Page 2 of 2');
      // The oldest award (dee, 2020) is last.
      expect(textOf(second)).toMatch(/dee 4 Mar 2020$|dee 4 Mar 2020 /);
      // Handlebars escapes "=" in attributes; browsers read &#x3D; as "=".
      expect(second).toContain('rel="prev" href="/badge/hello-world?page&#x3D;1"');
    });

    it('has Open Graph and Twitter card tags with the art as an absolute URL', async () => {
      const html = await page('/badge/tester-i');
      expect(metaContent(html, 'og:title')).toBe('Tester I');
      expect(metaContent(html, 'og:image')).toMatch(/^http:\/\/.+\/pngs\/tester-i\.png$/);
      expect(metaContent(html, 'og:url')).toMatch(/\/badge\/tester-i$/);
      expect(metaContent(html, 'twitter:card')).toBe('summary');
      expect(metaContent(html, 'twitter:description')).toBe('Tested 1');
    });

    it('tells a viewer who holds it since when, and for what', async () => {
      const model = await t.get(BadgePresenter).present('hello-world', 1, ada);
      const html = await renderView(t, 'badges/badge', model);
      const text = textOf(html);
      expect(text).toContain(`You hold this badge since ${formatDate(ago(2))} , awarded for`);
      expect(html).toContain('href="https://bodhi.fedoraproject.org/updates/FEDORA-2026-1"');
      await expectShareActions(html, 'hello-world');
      expect(html).toContain('href="/user/ada">ada</a>'); // the account corner
      const other = await t.get(BadgePresenter).present('koji-builder', 1, ada);
      expect(textOf(await renderView(t, 'badges/badge', other))).not.toContain('You hold');
    });

    it('answers an unknown badge with a 404 page in the site look', async () => {
      const html = await page('/badge/no-such-badge', 404);
      expect(html).toContain('<header class="site-header">');
      expect(textOf(html)).toContain('Not found No badge with the id &quot;no-such-badge&quot;.');
    });
  });

  describe('profile', () => {
    it('shows rank, percentile, badge count, series progress and history', async () => {
      const html = await page('/user/ada');
      const text = textOf(html);
      // 36 visible people hold a badge: ada is first, in the top 1/36 = 2.8 %.
      expect(text).toMatch(/Badges 4 Rank 1 of 36 Percentile Top 2.8 %/);
      expect(text).toMatch(/Tester 2 of 3/);
      expect(text).toContain('Next: Tester III , 37 of 40');
      expect(html).toMatch(/<progress id="progress-tester-iii" max="40" value="37">/);
      expect(text).toMatch(/History .*Hello World/);
      expect(html).toContain('href="/user/ada/json"');
      expect(html).toContain('href="/user/ada/rss"');
      expect(html).toContain('type="application/atom+xml"');
      expect(metaContent(html, 'og:type')).toBe('profile');
      expect(metaContent(html, 'og:image')).toMatch(/^http:\/\/.+\/assets\/img\/avatar\.svg$/);
    });

    it('sends Tahrir’s numeric-id URL to the nickname URL', async () => {
      const ada = await t.get(UsersService).findByNickname('ada');
      const res = await t.http().get(`/user/${ada!.id}`).expect(301);
      expect(res.headers.location).toBe('/user/ada');
    });

    it('is not found for people who opted out, on every URL', async () => {
      for (const path of [
        '/user/ghost',
        '/user/ghost/json',
        '/user/ghost/rss',
        '/diff/ada/ghost',
      ]) {
        await t.http().get(path).expect(404);
      }
      expect((await t.http().get('/leaderboard/ghost/json').expect(404)).body.error).toBeDefined();
    });

    it('marks the viewer’s own profile and offers to compare with others', async () => {
      const own = textOf(
        await renderView(t, 'users/profile', await t.get(UserPresenter).present('ada', ada)),
      );
      expect(own).toMatch(/^.*ada you/);
      const other = await renderView(
        t,
        'users/profile',
        await t.get(UserPresenter).present('bob', ada),
      );
      expect(other).toContain('href="/diff/ada/bob">Compare with me');
      expect(other).not.toContain('Copy verification URL');
    });

    it('gives the viewer Download, Copy verification URL and Add to backpack on their own badges', async () => {
      const own = await renderView(
        t,
        'users/profile',
        await t.get(UserPresenter).present('ada', ada),
      );
      await expectShareActions(own, 'evil'); // the newest of ada's awards comes first
      expect(textOf(await page('/user/ada'))).not.toContain('Copy verification URL');
    });
  });

  describe('compare', () => {
    it('lists badges only one of two people holds, and shared ones', async () => {
      const text = textOf(await page('/diff/ada/cyd'));
      expect(text).toMatch(/Only ada has \(3\) .*Hello World.*Tester II/);
      expect(text).toMatch(/Only cyd has \(1\) Koji Builder/);
      expect(text).toMatch(/Both have \(1\) Tester I/);
    });

    it('turns the profile form into a compare URL', async () => {
      const res = await t.http().get('/compare?a=ada&b=bob').expect(303);
      expect(res.headers.location).toBe('/diff/ada/bob');
    });
  });

  describe('leaderboards', () => {
    it('ranks all time with shared ranks and without opted-out people', async () => {
      const text = textOf(await page('/leaderboard'));
      expect(text).toMatch(/1 ada 4 2 bob 2 2 cyd 2 4 /);
      expect(text).not.toContain('ghost');
    });

    it('shows the rising stars of the current week and of dated reports', async () => {
      const week = textOf(await page('/leaderboard?period=week'));
      expect(week).toContain('Rising stars: this week');
      const year = new Date().getUTCFullYear();
      const report2020 = textOf(await page('/report/2020'));
      expect(report2020).toContain('Rising stars of 2020');
      expect(report2020).toMatch(/1 dee 1/);
      const march = textOf(await page('/report/2020/3'));
      expect(march).toMatch(/Rising stars of March 2020 .*1 dee 1/);
      expect(textOf(await page('/report/2020/3/4'))).toMatch(/4 March 2020 .*1 dee 1/);
      expect(textOf(await page('/report/2020/week/10'))).toMatch(/week 10 of 2020 .*1 dee 1/);
      expect(textOf(await page('/report/2020/3/5'))).toContain(
        'Nobody earned a badge in this period.',
      );
      expect(textOf(await page(`/report/${year}`))).toContain(`Rising stars of ${year}`);
      const thisMonth = await t.http().get('/report/this/month').expect(302);
      expect(thisMonth.headers.location).toMatch(/^\/report\/\d{4}\/\d{1,2}$/);
      await page('/report/2020/13', 404);
      await page('/report/2021/2/29', 404);
    });

    it('shows a viewer their position and neighbours', async () => {
      const dee: Viewer = {
        personId: (await t.get(UsersService).findByNickname('dee'))!.id,
        nickname: 'dee',
        isAdmin: false,
      };
      const model = await t.get(LeaderboardPresenter).current('all', 1, dee);
      expect(model.you).toMatchObject({ rank: 4, onThisPage: true });
      expect(model.you!.neighbours.map((r) => r.person.nickname)).toContain('dee');
      // On a later page, the viewer's row is shown above the board.
      const page2 = await t.get(LeaderboardPresenter).current('all', 2, dee);
      const html = await renderView(t, 'leaderboard/index', page2);
      expect(textOf(html)).toMatch(/Your position: 4 .*dee you/);
      const yearly = await t.get(LeaderboardPresenter).current('year', 1, dee);
      expect(yearly.viewerUnranked).toBe(true);
    });
  });

  describe("Tahrir's JSON", () => {
    it('gives /user/<nick>/json with Tahrir’s fields', async () => {
      const res = await t.http().get('/user/cyd/json').expect(200);
      expect(Object.keys(res.body).sort()).toEqual(
        [
          'assertions',
          'avatar',
          'percent_earned',
          'percentile',
          'rank',
          'user',
          'user_count',
        ].sort(),
      );
      expect(res.body).toMatchObject({ user: 'cyd', rank: 2, user_count: 36 });
      expect(res.body.percent_earned).toBeCloseTo((2 / 6) * 100, 6);
      expect(res.body.percentile).toBe('5.5600'); // 2 / 36 rounded up at 4 decimals
      const koji = res.body.assertions.find((a: { id: string }) => a.id === 'koji-builder');
      expect(Object.keys(koji).sort()).toEqual(
        [
          'description',
          'first_awarded',
          'first_awarded_person',
          'id',
          'image',
          'issued',
          'last_awarded',
          'last_awarded_person',
          'name',
          'percent_earned',
          'tags',
          'times_awarded',
        ].sort(),
      );
      expect(koji).toMatchObject({
        name: 'Koji Builder',
        times_awarded: 1,
        first_awarded_person: 'cyd',
        last_awarded_person: 'cyd',
        tags: 'packaging,qa,',
      });
      const [row] = await t.dataSource.query(
        `SELECT a.issued_on FROM assertions a JOIN persons p ON p.id = a.person_id
          WHERE p.nickname = 'cyd' AND a.badge_id = 'koji-builder'`,
      );
      expect(koji.issued).toBe(new Date(row.issued_on).getTime() / 1000);
      expect(koji.image).toMatch(/^http:\/\/.+\/pngs\/koji-builder\.png$/);
    });

    it('gives /badge/<id>/json without opted-out earners', async () => {
      const res = await t.http().get('/badge/tester-ii/json').expect(200);
      expect(res.body).toMatchObject({
        id: 'tester-ii',
        times_awarded: 2,
        first_awarded_person: 'ada',
        last_awarded_person: 'ada', // ghost's later award is not shown
        tags: 'qa,bodhi,',
      });
      const missing = await t.http().get('/badge/nope/json').expect(404);
      expect(missing.body).toMatchObject({
        error: 'No badge with the id "nope".',
        code: 'BADGE.NOT_FOUND',
      });
    });

    it('gives /leaderboard/json and /leaderboard/<nick>/json', async () => {
      const top = await t.http().get('/leaderboard/json?limit=3').expect(200);
      expect(top.body).toEqual({
        leaderboard: [
          { badges: 4, rank: 1, nickname: 'ada' },
          { badges: 2, rank: 2, nickname: 'bob' },
          { badges: 2, rank: 2, nickname: 'cyd' },
        ],
      });
      const around = await t.http().get('/leaderboard/ada/json').expect(200);
      expect(around.body.leaderboard.map((e: { nickname: string }) => e.nickname)).toEqual([
        'ada',
        'bob',
        'cyd',
        'dee',
        'extra00',
      ]);
    });
  });

  describe('feeds', () => {
    it('gives a person’s badges as RSS and Atom', async () => {
      const rss = await t.http().get('/user/ada/rss').expect(200);
      expect(rss.headers['content-type']).toContain('application/rss+xml');
      expect(rss.text).toContain('<title><![CDATA[Hello World]]></title>');
      expect(rss.text).toContain('&lt;script&gt;alert(&quot;badge&quot;)&lt;/script&gt;');
      expect(rss.text).not.toContain('<script>');
      const atom = await t.http().get('/user/ada/atom').expect(200);
      expect(atom.headers['content-type']).toContain('application/atom+xml');
      expect(atom.text.match(/<entry>/g)).toHaveLength(4);
    });

    it('gives a badge’s new holders without opted-out people', async () => {
      const rss = await t.http().get('/badge/tester-i/rss').expect(200);
      expect(rss.text.match(/<item>/g)).toHaveLength(3);
      expect(rss.text).toContain('cyd earned Tester I');
      expect(rss.text).not.toContain('ghost');
    });

    it('gives new badges at Tahrir’s /explore/badges/rss', async () => {
      const rss = await t.http().get('/explore/badges/rss').expect(200);
      expect(rss.text).toContain('New badge: Koji Builder');
      const atom = await t.http().get('/explore/badges/atom').expect(200);
      expect(atom.text.match(/<entry>/g)).toHaveLength(6);
    });
  });

  describe('explore', () => {
    it('searches badges, people and tags, never showing opted-out people', async () => {
      const text = textOf(await page('/explore?q=ko'));
      expect(text).toMatch(/Badges \(1\) Koji Builder/);
      expect(text).toMatch(/Tags \(0\)/);
      const people = textOf(await page('/explore?q=d'));
      // Nicknames starting with the words first, then the most decorated.
      expect(people).toMatch(/People \(3\) dee 1 badge ada 4 badges cyd 2 badges/);
      expect(textOf(await page('/explore?q=ghost'))).toMatch(/People \(0\) Nobody matches/);
      expect(textOf(await page('/explore?q=pack'))).toMatch(/Tags \(1\) packaging 1/);
    });

    it('shows newest badges, most earned and every tag', async () => {
      const text = textOf(await page('/explore'));
      expect(text).toMatch(/Most earned Hello World/);
      expect(text).toMatch(/Tags qa 4 /);
    });

    it('groups every badge by tag', async () => {
      const text = textOf(await page('/explore/badges'));
      expect(text).toMatch(/packaging Koji Builder/);
      expect(text).toMatch(/bodhi Tester I Tester II Tester III/);
    });

    it('shows badges with any or all of several tags', async () => {
      const any = textOf(await page('/tags/bodhi,packaging/any'));
      expect(any).toMatch(/4 badges/);
      const all = textOf(await page('/tags/qa,packaging/all'));
      expect(all).toMatch(/Badges tagged all of qa, packaging 1 badge/);
      expect(all).toContain('Koji Builder');
      const form = await t.http().get('/tags?tags=qa,packaging&match=all').expect(303);
      expect(form.headers.location).toBe('/tags/qa%2Cpackaging/all');
      expect(textOf(await page('/tags/nothing/all'))).toContain('No badge has all of these tags');
    });
  });

  describe('series and about', () => {
    it('lists series and shows a ladder in order', async () => {
      expect(textOf(await page('/series'))).toMatch(
        /Tester Test updates Tester I Tester II Tester III 3 steps/,
      );
      const text = textOf(await page('/series/tester'));
      expect(text).toMatch(/1 Tester I .*2 Tester II .*3 Tester III/);
      const mine = await t.get(SeriesPresenter).present('tester', ada);
      expect(mine.viewerHolds).toBe(2);
      await page('/series/nope', 404);
    });

    it('answers Tahrir’s heartbeat', async () => {
      const res = await t.http().get('/heartbeat').expect(200);
      expect(res.headers['content-type']).toContain('text/plain');
      expect(res.text).toBe('OK: (6 badges in the system)');
    });

    it('has an about page', async () => {
      expect(textOf(await page('/about'))).toContain('About Fedora Badges');
    });
  });

  describe('escaping', () => {
    it('escapes a badge name and a rule-made description', async () => {
      const html = await page('/badge/evil');
      expect(html).not.toContain('<script>alert("badge")');
      expect(html).not.toContain('<img src=x onerror');
      expect(html).toContain('&lt;script&gt;alert(&quot;badge&quot;)&lt;/script&gt;');
      expect(html).toContain('Rule-made &lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; description');
    });

    it('escapes a bio and drops a javascript: website', async () => {
      const html = await page('/user/ada');
      expect(html).toContain('I &lt;b&gt;test&lt;/b&gt; things &lt;script&gt;');
      expect(html).not.toContain('<b>test</b>');
      expect(html).not.toContain('javascript:');
    });
  });

  describe('page cache', () => {
    it('serves a page again until an award changes it', async () => {
      await t.http().get('/badge/koji-builder').expect(200);
      const again = await t.http().get('/badge/koji-builder').expect(200);
      expect(again.headers['x-page-cache']).toBe('hit');
      await award(t, 'koji-builder', 'bob');
      const after = await t.http().get('/badge/koji-builder').expect(200);
      expect(after.headers['x-page-cache']).toBe('miss');
      expect(textOf(after.text)).toMatch(/Holders \(2\)/);
    });

    it('forgets a person who opts out at once', async () => {
      await t.http().get('/user/dee').expect(200);
      expect((await t.http().get('/user/dee').expect(200)).headers['x-page-cache']).toBe('hit');
      await t.get(UsersService).setOptOut('dee', true);
      await t.http().get('/user/dee').expect(404);
      await t.get(UsersService).setOptOut('dee', false);
      await t.http().get('/user/dee').expect(200);
    });
  });

  it('answers a failure with a 500 page in the site look, details kept inside', async () => {
    await t.dataSource.query(`ALTER TABLE series RENAME TO series_away`);
    try {
      const html = await page('/series', 500);
      expect(html).toContain('<header class="site-header">');
      expect(textOf(html)).toContain('Something went wrong Internal server error');
      expect(html).not.toContain('series_away');
      expect(html).toMatch(/Reference for the administrators: <code>[0-9a-f-]{36}<\/code>/);
    } finally {
      await t.dataSource.query(`ALTER TABLE series_away RENAME TO series`);
    }
  });
});
