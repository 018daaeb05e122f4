import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiTokensService } from '../../src/modules/auth/api-tokens.service';
import { tinyPng } from '../support/art';
import { award, makeBadge, makeIssuer, makePerson } from '../support/factories';
import { closedPort, runCli } from '../support/cli';
import { ADMIN_TOKEN, auth, createTestApp, type TestApp } from '../support/test-app';

/**
 * The client commands of the built `accolades` command, run as processes against a running
 * service (this process's), the way people and scripts run them.
 */
describe('accolades client commands', () => {
  let t: TestApp;
  let work: string;
  let viewerToken: string;
  let base: NodeJS.ProcessEnv;

  /** Runs the command; `env` adds to (or, with undefined, removes from) the base environment. */
  const cli = (args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string } = {}) =>
    runCli(args, { env: { ...base, ...opts.env }, input: opts.input });
  const admin = { ACCOLADES_TOKEN: ADMIN_TOKEN };
  const json = <T = Record<string, unknown>>(stdout: string) => JSON.parse(stdout) as T;
  const holders = async (badge: string) =>
    (await t.http().get(`/api/v1/badges/${badge}/holders?per_page=200`).expect(200)).body.items
      .map((h: { nickname: string }) => h.nickname)
      .sort();

  beforeAll(async () => {
    t = await createTestApp({ listen: true });
    work = mkdtempSync(join(tmpdir(), 'accolades-cli-'));
    // A minimal environment: no token or URL leaks in from the machine running the tests.
    base = {
      PATH: process.env.PATH,
      HOME: work,
      XDG_CONFIG_HOME: join(work, 'config'),
      ACCOLADES_URL: t.url!,
    };
    const fedora = await makeIssuer(t, 'Fedora Project');
    await makeBadge(t, {
      id: 'flock-2026',
      name: 'Flock 2026',
      tags: ['event', 'flock'],
      issuerId: fedora.id,
    });
    await makeBadge(t, { id: 'tester-i', name: 'Tester I', tags: ['qa'], issuerId: fedora.id });
    for (const nick of ['ralph', 'decause', 'bex', 'mattdm', 'zoe', 'viewer'])
      await makePerson(t, nick);
    await award(t, 'flock-2026', 'mattdm');
    await award(t, 'tester-i', 'ralph');
    await t
      .http()
      .post('/api/v1/series')
      .set(auth)
      .send({ id: 'tester', name: 'Tester', description: 'QA ladder' })
      .expect(201);
    await t
      .http()
      .put('/api/v1/series/tester/milestones/tester-i')
      .set(auth)
      .send({ position: 1 })
      .expect(200);
    const viewer = await t.http().get('/api/v1/users/viewer').expect(200);
    ({ token: viewerToken } = await t.get(ApiTokensService).create(
      {
        via: 'session',
        personId: viewer.body.id,
        nickname: 'viewer',
        isAdmin: false,
        scopes: ['read', 'grant'],
      },
      { name: 'cli tests', scopes: ['read', 'grant'] },
    ));
  });

  afterAll(async () => {
    await t?.close();
    rmSync(work, { recursive: true, force: true });
  });

  describe('login, whoami, logout', () => {
    const configFile = () => join(work, 'config', 'accolades', 'config.json');

    it('refuses a wrong token and saves nothing', async () => {
      const r = await cli(['login', '--token', 'acc_wrong']);
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(
        /the token was refused by http:\/\/127\.0\.0\.1:\d+: .*\(AUTH\.INVALID_TOKEN\)\n$/,
      );
      expect(() => statSync(configFile())).toThrow();
    });

    it('without a terminal and without --token, says how to give one', async () => {
      const r = await cli(['login']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--token - to read it from standard input');
    });

    it('checks the token against the server, saves URL and token 0600, and whoami tells who', async () => {
      const login = await cli(['login', '--url', t.url!, '--token', '-'], {
        input: `${viewerToken}\n`,
        env: { ACCOLADES_URL: undefined },
      });
      expect(login.stderr).toBe('');
      expect(login.code).toBe(0);
      expect(login.stdout).toContain(
        `Logged in as viewer at ${t.url} (not an admin; scopes: read, grant)`,
      );
      expect(statSync(configFile()).mode & 0o777).toBe(0o600);
      expect(json(readFileSync(configFile(), 'utf8'))).toEqual({ url: t.url, token: viewerToken });

      // Without ACCOLADES_URL: the saved URL is used.
      const who = await cli(['whoami', '--json'], { env: { ACCOLADES_URL: undefined } });
      expect(who.code).toBe(0);
      expect(json(who.stdout)).toMatchObject({
        url: t.url,
        via: 'token',
        nickname: 'viewer',
        isAdmin: false,
        scopes: ['read', 'grant'],
      });
      // ACCOLADES_TOKEN wins over the saved token.
      const boot = await cli(['whoami'], { env: admin });
      expect(boot.stdout).toContain('the bootstrap admin token');

      const out = await cli(['logout']);
      expect(out.code).toBe(0);
      expect(out.stdout).toContain('/settings/tokens');
      expect(json(readFileSync(configFile(), 'utf8'))).toEqual({ url: t.url });
      const after = await cli(['whoami']);
      expect(after.code).toBe(4);
      expect(after.stderr).toBe(
        `accolades: not logged in to ${t.url}: run accolades login, or set ACCOLADES_TOKEN (AUTH.REQUIRED)\n`,
      );
    });
  });

  describe('status and an unreachable server', () => {
    it('shows readiness, version and the intake', async () => {
      const r = await cli(['status']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Status\s+ready/);
      expect(r.stdout).toMatch(/Version\s+0\.\d+\.\d+ \(this command: 0\.\d+\.\d+\)/);
      expect(r.stdout).toMatch(/Intake\s+off/);
      const j = json((await cli(['status', '--json'])).stdout);
      expect(j).toMatchObject({
        status: 'ok',
        version: expect.any(String),
        checks: { database: { ok: true } },
      });
    });

    it('says in one line that the server cannot be reached, and exits 5', async () => {
      const port = await closedPort();
      for (const args of [
        ['status'],
        ['badges', 'list', '--json'],
        ['award', 'flock-2026', 'zoe', '--yes'],
      ]) {
        const r = await cli(args, { env: { ACCOLADES_URL: `http://127.0.0.1:${port}`, ...admin } });
        expect({ args, code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
          args,
          code: 5,
          stdout: '',
          stderr: `accolades: cannot reach http://127.0.0.1:${port}: connection refused; is the service running?\n`,
        });
      }
    });
  });

  describe('badges, tags, series', () => {
    it('lists badges as a table, or as JSON, filtered by tag', async () => {
      const r = await cli(['badges', 'list']);
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+AWARDED\s+TAGS$/);
      expect(r.stdout).toMatch(/flock-2026\s+Flock 2026\s+1\s+event, flock/);
      const j = json<{ items: { id: string }[]; total: number }>(
        (await cli(['badges', 'list', '--tag', 'qa', '--json'])).stdout,
      );
      expect(j.items.map((b) => b.id)).toEqual(['tester-i']);
      expect(j.total).toBe(1);
      const bad = await cli(['badges', 'list', '--sort', 'loudest']);
      expect(bad.code).toBe(2);
    });

    it('shows a badge, and exits 3 with the API code for an unknown one', async () => {
      const r = await cli(['badges', 'show', 'flock-2026']);
      expect(r.stdout).toMatch(/Issuer\s+Fedora Project/);
      expect(json((await cli(['badges', 'show', 'flock-2026', '--json'])).stdout)).toMatchObject({
        id: 'flock-2026',
        times_awarded: 1,
      });
      const none = await cli(['badges', 'show', 'nope']);
      expect(none.code).toBe(3);
      expect(none.stderr).toBe('accolades: No badge with the id "nope". (BADGE.NOT_FOUND)\n');
    });

    it('creates a badge from a rule-like YAML file, updates it, refuses a duplicate', async () => {
      const file = join(work, 'docs-day.yml');
      writeFileSync(
        file,
        [
          'name: Docs Day 2026',
          'description: Wrote docs on Docs Day.',
          'image_url: https://badges.fedoraproject.org/pngs/docs-day.png',
          'discussion: https://pagure.io/fedora-badges/issue/999',
          'issuer_id: fedora-project',
          'tags: docs, event',
          'trigger: {topic: wiki.article.edit}',
        ].join('\n'),
      );
      const anonymous = await cli(['badges', 'create', '-f', file]);
      expect(anonymous.code).toBe(4);
      const viewer = await cli(['badges', 'create', '-f', file], {
        env: { ACCOLADES_TOKEN: viewerToken },
      });
      expect(viewer.code).toBe(4);
      expect(viewer.stderr).toContain('(AUTH.FORBIDDEN)');

      const r = await cli(['badges', 'create', '-f', file, '--json'], { env: admin });
      expect(r.code).toBe(0);
      expect(json(r.stdout)).toMatchObject({
        id: 'docs-day-2026',
        image: 'docs-day.png',
        criteria: 'https://pagure.io/fedora-badges/issue/999',
        tags: ['docs', 'event'],
      });
      // The art is a file name the server does not serve (yet): said, not fatal.
      expect(r.stderr).toContain('/pngs/docs-day.png does not load');

      const again = await cli(['badges', 'create', '-f', file], { env: admin });
      expect(again.code).toBe(6);
      expect(again.stderr).toContain('(BADGE.ALREADY_EXISTS)');

      const up = await cli(
        ['badges', 'update', 'docs-day-2026', '--tags', 'docs', '--name', 'Docs Day'],
        { env: admin },
      );
      expect(up.code).toBe(0);
      const after = await t.http().get('/api/v1/badges/docs-day-2026').expect(200);
      expect(after.body).toMatchObject({
        name: 'Docs Day',
        tags: ['docs'],
        description: 'Wrote docs on Docs Day.',
      });

      const missing = await cli(['badges', 'create', '--name', 'Half'], { env: admin });
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('--description, --image, --criteria');
    });

    it('sends an art file given with --image along with the badge, and refuses a file that is not art', async () => {
      const png = join(work, 'art-day.png');
      writeFileSync(png, tinyPng());
      const flags = ['--description', 'Drew art.', '--criteria', 'https://example.org/art'];
      const r = await cli(
        ['badges', 'create', '--name', 'Art Day', ...flags, '--image', png, '--json'],
        { env: admin },
      );
      expect(r.code).toBe(0);
      const image = json<{ image: string }>(r.stdout).image;
      expect(image).toMatch(/^art-day-[0-9a-f]{12}\.png$/);
      expect(r.stderr).not.toContain('does not load');
      const served = await t.http().get(`/pngs/${image}`).expect(200);
      expect(Buffer.compare(served.body as Buffer, readFileSync(png))).toBe(0);

      const text = join(work, 'notes.png');
      writeFileSync(text, 'not a picture');
      const bad = await cli(['badges', 'create', '--name', 'Bad Art', ...flags, '--image', text], {
        env: admin,
      });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('(BADGE.ART_INVALID)');
      await t.http().get('/api/v1/badges/bad-art').expect(404);
    });

    it('lists tags and series', async () => {
      const tags = json<{ tag: string; badges: number }[]>((await cli(['tags', '--json'])).stdout);
      expect(tags).toEqual(
        expect.arrayContaining([
          { tag: 'event', badges: 1 },
          { tag: 'qa', badges: 1 },
        ]),
      );
      expect((await cli(['tags'])).stdout).toMatch(/^TAG\s+BADGES\n/);
      expect((await cli(['series', 'list'])).stdout).toMatch(/tester\s+Tester\s+1/);
      const show = await cli(['series', 'show', 'tester']);
      expect(show.stdout).toMatch(/1\s+tester-i\s+Tester I/);
      expect(json((await cli(['series', 'show', 'tester', '--json'])).stdout)).toMatchObject({
        id: 'tester',
        milestones: [{ position: 1 }],
      });
      expect((await cli(['series', 'show', 'nope'])).code).toBe(3);
    });
  });

  describe('award and revoke', () => {
    it('previews from a file (who gets it, who has it, who is unknown) and awards with --yes', async () => {
      const list = join(work, 'attendees.txt');
      writeFileSync(list, '# Flock 2026\nralph\ndecause\nmattdm\nnobody-here\n');
      const r = await cli(
        ['award', 'flock-2026', '-f', list, '--for', 'https://flocktofedora.org', '--yes'],
        { env: admin },
      );
      expect(r.stdout).toContain('Award "Flock 2026" (flock-2026) to 2 people: ralph, decause');
      expect(r.stdout).toContain('1 person already hold it: mattdm');
      expect(r.stdout).toContain('1 person unknown (no such account here, or hidden): nobody-here');
      expect(r.stdout).toContain(
        'Awarded flock-2026 to 2 people; 1 already held it; 1 unknown; 0 failed.',
      );
      // Not a terminal: a plain line per person instead of a bar.
      expect(r.stderr).toContain('awarded ralph\nawarded decause\n');
      expect(r.code).toBe(3);
      expect(await holders('flock-2026')).toEqual(['decause', 'mattdm', 'ralph']);
      const held = await t.http().get('/api/v1/users/ralph/assertions').expect(200);
      expect(
        held.body.items.find((h: { badge: { id: string } }) => h.badge.id === 'flock-2026')
          .issued_for,
      ).toBe('https://flocktofedora.org');
    });

    it('asks before writing, and without a terminal writes nothing unless --yes', async () => {
      const r = await cli(['award', 'flock-2026', 'bex'], { env: admin });
      expect(r.stdout).toContain('to 1 person: bex');
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('confirm with --yes');
      expect(await holders('flock-2026')).not.toContain('bex');
    });

    it('reads names from stdin with -f -, and reports as JSON', async () => {
      const dry = await cli(['award', 'flock-2026', '-f', '-', '--dry-run', '--json'], {
        env: admin,
        input: 'bex\nzoe\nralph\n',
      });
      expect(dry.code).toBe(0);
      expect(json(dry.stdout)).toEqual({
        badge: 'flock-2026',
        preview: { will_receive: ['bex', 'zoe'], already_hold: ['ralph'], unknown: [] },
      });
      expect(await holders('flock-2026')).not.toContain('bex');

      const r = await cli(['award', 'flock-2026', '-f', '-', '--yes', '--json'], {
        env: admin,
        input: 'bex\nzoe\nralph\n',
      });
      expect(r.code).toBe(0);
      expect(json(r.stdout)).toEqual({
        badge: 'flock-2026',
        preview: { will_receive: ['bex', 'zoe'], already_hold: ['ralph'], unknown: [] },
        results: [
          { user: 'bex', status: 'awarded' },
          { user: 'zoe', status: 'awarded' },
        ],
        summary: { awarded: 2, unchanged: 1, unknown: 0, failed: 0 },
      });
      expect(await holders('flock-2026')).toEqual(['bex', 'decause', 'mattdm', 'ralph', 'zoe']);
    });

    it('revokes with a reason; someone who may not grant the badge changes nothing (exit 4)', async () => {
      const refused = await cli(['revoke', 'flock-2026', 'zoe', '--yes'], {
        env: { ACCOLADES_TOKEN: viewerToken },
      });
      expect(refused.code).toBe(4);
      expect(refused.stderr).toContain('(GRANT.FORBIDDEN)');
      expect(await holders('flock-2026')).toContain('zoe');

      const r = await cli(
        ['revoke', 'flock-2026', 'zoe', 'viewer', '--reason', 'not there', '--yes'],
        { env: admin },
      );
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Revoke "Flock 2026" (flock-2026) from 1 person: zoe');
      expect(r.stdout).toContain('1 person do not hold it: viewer');
      expect(await holders('flock-2026')).not.toContain('zoe');
      const revoked = await t.dataSource.query(
        `SELECT reason FROM revoked_assertions WHERE badge_id = 'flock-2026'`,
      );
      expect(revoked).toEqual([{ reason: 'not there' }]);
    });

    it("lets a badge's granter (an event organiser, not an admin) award it with their token", async () => {
      await t
        .http()
        .post('/api/v1/badges/tester-i/authorizations')
        .set(auth)
        .send({ nickname: 'viewer' })
        .expect(201);
      const r = await cli(['award', 'tester-i', 'bex', '--yes'], {
        env: { ACCOLADES_TOKEN: viewerToken },
      });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Awarded tester-i to 1 person');
      expect(await holders('tester-i')).toEqual(['bex', 'ralph']);
    });

    it('exits 3 for an unknown badge, 2 without any name', async () => {
      const r = await cli(['award', 'no-such-badge', 'ralph', '--yes'], { env: admin });
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('(BADGE.NOT_FOUND)');
      const none = await cli(['award', 'flock-2026'], { env: admin });
      expect(none.code).toBe(2);
    });
  });

  describe('users and the leaderboard', () => {
    it('shows a person with their badges, and exits 3 for an unknown one', async () => {
      const r = await cli(['users', 'show', 'ralph']);
      expect(r.stdout).toMatch(/User\s+ralph/);
      expect(r.stdout).toMatch(/\d{4}-\d{2}-\d{2}\s+tester-i\s+Tester I/);
      const j = json<{ nickname: string; badge_count: number; badges: unknown[] }>(
        (await cli(['users', 'show', 'ralph', '--json'])).stdout,
      );
      expect(j).toMatchObject({ nickname: 'ralph', badge_count: 2 });
      expect(j.badges).toHaveLength(2);
      const none = await cli(['users', 'show', 'nobody-here']);
      expect(none.code).toBe(3);
      expect(none.stderr).toContain('(USER.NOT_FOUND)');
    });

    it('prints the leaderboard of a period', async () => {
      const r = await cli(['leaderboard', '--period', 'week', '--limit', '3', '--json']);
      const board = json<{ period: string; entries: { rank: number; nickname: string }[] }>(
        r.stdout,
      );
      expect(board.period).toBe('week');
      expect(board.entries.length).toBeLessThanOrEqual(3);
      expect(board.entries[0]).toMatchObject({ rank: 1 });
      expect((await cli(['leaderboard'])).stdout).toMatch(
        /All time\n\nRANK\s+USER\s+BADGES\n\s+1\s+ralph\s+2/,
      );
      expect((await cli(['leaderboard', '--period', 'decade'])).code).toBe(2);
      expect((await cli(['leaderboard', '--limit', 'ten'])).code).toBe(2);
    });
  });

  describe('rules test', () => {
    const rule = (threshold: number) =>
      [
        'name: Karma Giver',
        'description: Gave karma twice.',
        'creator: tests',
        'discussion: https://example.org/karma',
        'image_url: https://example.org/pngs/karma.png',
        'issuer_id: fedora-project',
        'trigger: {topic: bodhi.update.comment}',
        'criteria:',
        '  datanommer:',
        "    filter: {topics: ['%(topic)s'], users: ['%(msg.comment.user.name)s']}",
        '    operation: count',
        `    condition: {greater than or equal to: ${threshold}}`,
        "recipient: '%(msg.comment.user.name)s'",
      ].join('\n');

    beforeAll(async () => {
      let n = 0;
      for (const user of ['ralph', 'ralph', 'bex']) {
        await t
          .http()
          .post('/api/v1/messages')
          .set(auth)
          .send({
            topic: 'org.fedoraproject.prod.bodhi.update.comment',
            id: `cli-rules-${++n}`,
            body: { comment: { user: { name: user }, karma: 1 } },
            headers: { [`fedora_messaging_user_${user}`]: true },
          })
          .expect(200);
      }
      writeFileSync(join(work, 'karma.yml'), rule(2));
      writeFileSync(join(work, 'broken.yml'), rule(2).replace('creator: tests\n', ''));
    });

    it('prints who would receive the badge and why', async () => {
      const r = await cli(['rules', 'test', join(work, 'karma.yml')], { env: admin });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(
        /^Karma Giver \(karma-giver\): \d+ messages since \S+, 3 triggered the rule; it would award 1 person\./,
      );
      expect(r.stdout).toMatch(
        /\nralph {2}on \S+ {2}\(org\.fedoraproject\.prod\.bodhi\.update\.comment, message cli-rules-2\)\n {4}triggered by/,
      );
      expect(r.stdout).toContain('    criteria met');
      const j = json<{ awards: { user: string }[] }>(
        (
          await cli(['rules', 'test', join(work, 'karma.yml'), '--since', '1d', '--json'], {
            env: admin,
          })
        ).stdout,
      );
      expect(j.awards.map((a) => a.user)).toEqual(['ralph']);
      // A dry run: the rule's badge is not even created.
      await t.http().get('/api/v1/badges/karma-giver').expect(404);
    });

    it('lists the errors of a rule that does not load (exit 1), and needs an admin', async () => {
      const file = join(work, 'broken.yml');
      const r = await cli(['rules', 'test', file], { env: admin });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe(
        `${file} [creator]: missing required field 'creator' (fedbadges-1 rule)\n`,
      );
      expect(r.stderr).toBe(`accolades: ${file} does not load (RULE.INVALID)\n`);
      const anonymous = await cli(['rules', 'test', join(work, 'karma.yml')]);
      expect(anonymous.code).toBe(4);
      const since = await cli(['rules', 'test', join(work, 'karma.yml'), '--since', 'yesterday'], {
        env: admin,
      });
      expect(since.code).toBe(2);
      expect(since.stderr).toContain('  since: since must be a duration');
    });
  });

  describe('invitations', () => {
    let organiser: NodeJS.ProcessEnv;

    beforeAll(async () => {
      const fedora = await makeIssuer(t, 'DevConf');
      await makeBadge(t, { id: 'devconf-2026', name: 'DevConf 2026', issuerId: fedora.id });
      const person = await makePerson(t, 'organiser');
      await t
        .http()
        .post('/api/v1/badges/devconf-2026/authorizations')
        .set(auth)
        .send({ nickname: 'organiser' })
        .expect(201);
      const { token } = await t.get(ApiTokensService).create(
        {
          via: 'session',
          personId: person.id,
          nickname: 'organiser',
          isAdmin: false,
          scopes: ['read', 'grant'],
        },
        { name: 'booth laptop', scopes: ['read', 'grant'] },
      );
      organiser = { ACCOLADES_TOKEN: token };
    });

    it('creates one with a duration or a date, and saves its QR code', async () => {
      const qr = join(work, 'devconf.png');
      const before = Date.now();
      const r = await cli(
        ['invitations', 'create', 'devconf-2026', '--expires', '2d', '--qr', qr, '--json'],
        { env: organiser },
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const inv = json<{ code: string; claim_url: string; expires_on: string; state: string }>(
        r.stdout,
      );
      expect(inv).toMatchObject({
        badge_id: 'devconf-2026',
        state: 'active',
        created_by: 'organiser',
      });
      expect(inv.claim_url).toMatch(new RegExp(`/claim/${inv.code}$`));
      const expires = Date.parse(inv.expires_on);
      expect(expires).toBeGreaterThanOrEqual(before + 2 * 86_400_000 - 1_000);
      expect(expires).toBeLessThan(Date.now() + 2 * 86_400_000 + 1_000);
      // A PNG image, as the API serves it.
      expect(readFileSync(qr).subarray(0, 8)).toEqual(
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      );
      const human = await cli(
        ['invitations', 'create', 'devconf-2026', '--expires', '2099-01-01'],
        {
          env: organiser,
        },
      );
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(
        /^Badge +DevConf 2026 \(devconf-2026\)\nClaim link +http\S+\/claim\/\S+\nExpires +2099-01-01T23:59:59\.000Z\n/,
      );
    });

    it('lists them, withdraws one, and the list shows it withdrawn', async () => {
      const listed = json<{ code: string; state: string }[]>(
        (
          await cli(['invitations', 'list', '--badge', 'devconf-2026', '--json'], {
            env: organiser,
          })
        ).stdout,
      );
      expect(listed.length).toBe(2);
      const code = listed[0].code;
      const table = await cli(['invitations', 'list'], { env: organiser });
      expect(table.stdout.split('\n')[0]).toMatch(/^CODE +BADGE +STATE +EXPIRES +BY +CLAIM LINK$/);
      expect(table.stdout).toContain(code);
      const r = await cli(['invitations', 'revoke', code], { env: organiser });
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`Withdrawn: ${code} (devconf-2026)\n`);
      const after = json<{ code: string; state: string }[]>(
        (await cli(['invitations', 'list', '--json'], { env: organiser })).stdout,
      );
      expect(after.find((i) => i.code === code)?.state).toBe('revoked');
      // The claim page of a withdrawn code is gone.
      await t.http().get(`/claim/${code}`).expect(410);
    });

    it('tells apart a past expiry, an unknown badge, someone who may not grant, and no login', async () => {
      const past = await cli(['invitations', 'create', 'devconf-2026', '--expires', '2001-01-01'], {
        env: organiser,
      });
      expect(past.code).toBe(2);
      expect(past.stderr).toContain('expires_on: The expiry must be in the future.');
      const unknown = await cli(['invitations', 'create', 'no-such-badge', '--expires', '1d'], {
        env: organiser,
      });
      expect(unknown.code).toBe(3);
      expect(unknown.stderr).toContain('(BADGE.NOT_FOUND)');
      const stranger = await cli(['invitations', 'create', 'devconf-2026', '--expires', '1d'], {
        env: { ACCOLADES_TOKEN: viewerToken },
      });
      expect(stranger.code).toBe(4);
      expect(stranger.stderr).toContain('(GRANT.FORBIDDEN)');
      const nobody = await cli(['invitations', 'list']);
      expect(nobody.code).toBe(4);
      expect(nobody.stderr).toContain('not logged in');
      const missing = await cli(['invitations', 'revoke', 'no-such-code'], { env: organiser });
      expect(missing.code).toBe(3);
    });
  });
});
