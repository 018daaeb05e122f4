import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tinyPng } from '../support/art';
import { makeBadge, makeIssuer, makePerson } from '../support/factories';
import { csrf, loginAs, type Agent } from '../support/login';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc';
import { auth, createTestApp, type TestApp } from '../support/test-app';

const SVG = Buffer.from(
  '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><circle r="4" cx="4" cy="4"/></svg>',
);

/** Admin pages for issuers, badges (art upload, tags, granters) and series, with the audit. */
describe('admin pages: issuers, badges, series, granters', () => {
  let provider: TestOidcProvider;
  let t: TestApp;
  let boss: Agent;
  let alice: Agent;
  let issuerId: number;

  beforeAll(async () => {
    provider = await startOidcProvider();
    t = await createTestApp({ env: provider.env });
    boss = await loginAs(t, { username: 'boss', groups: ['sysadmin-badges'] });
    alice = await loginAs(t, { username: 'alice' });
    issuerId = (await makeIssuer(t, 'Fedora Project')).id;
    await makePerson(t, 'ralph');
  });

  afterAll(async () => {
    await t?.close();
    await provider?.stop();
  });

  const audit = async (action: string) =>
    (await t.dataSource.query(
      `SELECT actor, subject, details FROM audit_log WHERE action = $1 ORDER BY id`,
      [action],
    )) as { actor: string; subject: string; details: Record<string, unknown> }[];

  /** A multipart form of the admin (CSRF token in the query, as the page's form sends it). */
  async function multipart(
    path: string,
    fields: Record<string, string>,
    file?: [string, Buffer, string],
  ) {
    const token = await csrf(boss, '/admin/badges/new');
    let req = boss.post(`${path}?_csrf=${encodeURIComponent(token)}`).set('Accept', 'text/html');
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    if (file) req = req.attach('art', file[1], { filename: file[0], contentType: file[2] });
    return req;
  }

  const badgeFields = (name: string) => ({
    name,
    description: `The ${name} badge`,
    criteria: 'https://pagure.io/fedora-badges/issue/1',
    issuer_id: String(issuerId),
    tags: 'QA, events ,qa',
  });

  it('keeps anonymous visitors out (login) and others out (403 page)', async () => {
    const anon = await t.http().get('/admin/badges').expect(302);
    expect(anon.headers.location).toBe('/login?next=%2Fadmin%2Fbadges');
    for (const path of ['/admin', '/admin/issuers/new', '/admin/badges/new', '/admin/series']) {
      const res = await alice.get(path).set('Accept', 'text/html').expect(403);
      expect(res.text).toContain('This page is for admins only.');
    }
    const token = await csrf(alice, '/settings/profile');
    await alice
      .post('/admin/issuers')
      .type('form')
      .send({ _csrf: token, name: 'Sneaky', origin: 'https://x', org: 'x', contact: 'x@x' })
      .expect(403);
    expect(await t.dataSource.query(`SELECT 1 FROM issuers WHERE name = 'Sneaky'`)).toEqual([]);
  });

  it('creates and edits an issuer, with field errors and values kept', async () => {
    let token = await csrf(boss, '/admin/issuers/new');
    const bad = await boss
      .post('/admin/issuers')
      .type('form')
      .send({ _csrf: token, name: 'CentOS <Project>', origin: '', org: 'CentOS', contact: '' })
      .expect(400);
    expect(bad.text).toContain('The issuer was not saved');
    expect(bad.text).toContain('id="f-origin-error"');
    expect(bad.text).toContain('value="CentOS &lt;Project&gt;"');
    token = await csrf(boss, '/admin/issuers/new');
    const created = await boss
      .post('/admin/issuers')
      .type('form')
      .send({
        _csrf: token,
        name: 'CentOS',
        origin: 'https://centos.org',
        org: 'CentOS',
        contact: 'badges@centos.org',
      })
      .expect(303);
    const path = created.headers.location.replace(/\?.*/, '');
    expect(path).toMatch(/^\/admin\/issuers\/\d+$/);
    const dup = await boss
      .post('/admin/issuers')
      .type('form')
      .send({ _csrf: token, name: 'CentOS', origin: 'https://c', org: 'C', contact: 'c@c' })
      .expect(409);
    expect(dup.text).toContain('An issuer named &quot;CentOS&quot; already exists.');
    await boss
      .post(path)
      .type('form')
      .send({
        _csrf: token,
        name: 'CentOS Project',
        origin: 'https://centos.org',
        org: 'CentOS',
        contact: 'team@centos.org',
      })
      .expect(303);
    const page = await boss.get(`${path}?saved=1`).expect(200);
    expect(page.text).toContain('The issuer was saved.');
    expect(page.text).toContain('value="team@centos.org"');
    const entries = await audit('issuer.update');
    expect(entries).toEqual([
      expect.objectContaining({
        actor: 'boss',
        details: expect.objectContaining({ contact: 'team@centos.org' }),
      }),
    ]);
    expect((await audit('issuer.create')).map((e) => e.details.name)).toEqual(['CentOS']);
  });

  it('creates a badge with uploaded PNG art, served under /pngs/, with tags', async () => {
    const png = tinyPng();
    const res = await multipart('/admin/badges', badgeFields('Flock 2026'), [
      'a.gif',
      png,
      'image/gif',
    ]);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/badges/flock-2026?saved=1');
    const [row] = await t.dataSource.query(
      `SELECT image, tags FROM badges WHERE id = 'flock-2026'`,
    );
    expect(row.tags).toEqual(['qa', 'events']);
    expect(row.image).toMatch(/^flock-2026-[0-9a-f]{12}\.png$/);
    const file = join(t.env.ACCOLADES_DATA_DIR, 'art', row.image);
    expect(readFileSync(file).equals(png)).toBe(true);
    const served = await t.http().get(`/pngs/${row.image}`).expect(200);
    expect(served.headers['content-type']).toBe('image/png');
    const [entry] = await audit('badge.create');
    expect(entry).toMatchObject({ actor: 'boss', subject: 'flock-2026' });
    expect(entry.details).toMatchObject({ uploadedArt: row.image, tags: ['qa', 'events'] });
  });

  it('replaces the art with an SVG when editing, and keeps the id', async () => {
    const res = await multipart(
      '/admin/badges/flock-2026',
      { ...badgeFields('Flock 2026 attendee'), tags: 'events' },
      ['art.png', SVG, 'image/png'],
    );
    expect(res.status).toBe(303);
    const [row] = await t.dataSource.query(
      `SELECT name, image, tags FROM badges WHERE id = 'flock-2026'`,
    );
    expect(row).toMatchObject({ name: 'Flock 2026 attendee', tags: ['events'] });
    expect(row.image).toMatch(/^flock-2026-[0-9a-f]{12}\.svg$/);
    const served = await t.http().get(`/pngs/${row.image}`).expect(200);
    expect(served.headers['content-type']).toContain('image/svg+xml');
    // Opened on its own, art from this site's origin may run nothing.
    expect(served.headers['content-security-policy']).toContain('sandbox');
    const page = await boss.get('/admin/badges/flock-2026').expect(200);
    expect(page.text).toContain(`src="/pngs/${row.image}"`);
    expect((await audit('badge.update')).map((e) => e.subject)).toEqual(['flock-2026']);
  });

  it.each([
    ['a text file named .png', Buffer.from('just some text'), 'This is not a PNG or SVG image.'],
    [
      'an SVG with a script',
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      'SVG files with &lt;script&gt; elements are not accepted.',
    ],
    [
      'a PNG over 1 MB',
      Buffer.concat([tinyPng(), Buffer.alloc(1024 * 1024)]),
      'larger than 1024 KB',
    ],
  ])('refuses %s and shows the form again, writing nothing', async (_, bytes, message) => {
    const before = await t.dataSource.query(`SELECT count(*)::int AS n FROM badges`);
    const files = readdirSync(join(t.env.ACCOLADES_DATA_DIR, 'art'));
    const res = await multipart('/admin/badges', badgeFields('Refused Art'), [
      'art.png',
      bytes,
      'image/png',
    ]);
    expect(res.status).toBe(400);
    expect(res.text).toContain(message);
    expect(res.text).toContain('id="f-art-error"');
    expect(res.text).toContain('value="Refused Art"');
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM badges`)).toEqual(before);
    expect(readdirSync(join(t.env.ACCOLADES_DATA_DIR, 'art'))).toEqual(files);
  });

  it('answers 413 to an upload beyond the hard limit', async () => {
    const res = await multipart('/admin/badges', badgeFields('Huge'), [
      'huge.png',
      Buffer.alloc(5 * 1024 * 1024),
      'image/png',
    ]);
    expect(res.status).toBe(413);
    expect(await t.dataSource.query(`SELECT 1 FROM badges WHERE name = 'Huge'`)).toEqual([]);
  });

  it('creates a badge from an art file name, and asks for art when there is none', async () => {
    const none = await multipart('/admin/badges', badgeFields('No Art'));
    expect(none.status).toBe(400);
    expect(none.text).toContain('Upload the art, or give the name of an art file or an image URL.');
    const named = await multipart('/admin/badges', {
      ...badgeFields('Named Art'),
      image: 'named.png',
    });
    expect(named.status).toBe(303);
    const [row] = await t.dataSource.query(`SELECT image FROM badges WHERE id = 'named-art'`);
    expect(row.image).toBe('named.png');
    const dup = await multipart('/admin/badges', { ...badgeFields('Named Art'), image: 'x.png' });
    expect(dup.status).toBe(409);
    expect(dup.text).toContain('A badge with the id &quot;named-art&quot; already exists.');
  });

  it('refuses a multipart form without its CSRF token', async () => {
    const res = await boss
      .post('/admin/badges')
      .set('Accept', 'text/html')
      .field('name', 'Forged')
      .attach('art', tinyPng(), 'a.png');
    expect(res.status).toBe(403);
    expect(await t.dataSource.query(`SELECT 1 FROM badges WHERE name = 'Forged'`)).toEqual([]);
  });

  it('adds and removes granters, with errors for unknown people', async () => {
    const token = await csrf(boss, '/admin/badges/flock-2026');
    await boss
      .post('/admin/badges/flock-2026/granters')
      .type('form')
      .send({ _csrf: token, nickname: 'ralph' })
      .expect(303);
    const page = await boss.get('/admin/badges/flock-2026').expect(200);
    expect(page.text).toMatch(/<td>ralph<\/td>/);
    const unknown = await boss
      .post('/admin/badges/flock-2026/granters')
      .type('form')
      .send({ _csrf: token, nickname: 'ghost' })
      .expect(404);
    expect(unknown.text).toContain('No user with the nickname &quot;ghost&quot;.');
    expect(unknown.text).toContain('value="ghost"');
    const twice = await boss
      .post('/admin/badges/flock-2026/granters')
      .type('form')
      .send({ _csrf: token, nickname: 'ralph' })
      .expect(409);
    expect(twice.text).toContain('may already grant');
    await boss
      .post('/admin/badges/flock-2026/granters/ralph/remove')
      .type('form')
      .send({ _csrf: token })
      .expect(303);
    expect((await t.http().get('/api/v1/badges/flock-2026/authorizations')).body).toEqual([]);
    expect((await audit('authorization.add')).map((e) => [e.actor, e.subject])).toEqual([
      ['boss', 'flock-2026/ralph'],
    ]);
    expect((await audit('authorization.remove')).map((e) => e.subject)).toEqual([
      'flock-2026/ralph',
    ]);
    await boss.get('/admin/badges/no-such-badge').set('Accept', 'text/html').expect(404);
  });

  it('builds a series: create, add steps, move one, remove one', async () => {
    await makeBadge(t, { name: 'Tester I', issuerId });
    await makeBadge(t, { name: 'Tester II', issuerId });
    let token = await csrf(boss, '/admin/series/new');
    await boss
      .post('/admin/series')
      .type('form')
      .send({ _csrf: token, name: 'Tester', description: 'Test updates', tags: 'QA' })
      .expect(303);
    token = await csrf(boss, '/admin/series/tester');
    for (const [badge, position] of [
      ['tester-i', '1'],
      ['tester-ii', '2'],
      ['flock-2026', '3'],
    ]) {
      await boss
        .post('/admin/series/tester/milestones')
        .type('form')
        .send({ _csrf: token, badge, position })
        .expect(303);
    }
    const unknown = await boss
      .post('/admin/series/tester/milestones')
      .type('form')
      .send({ _csrf: token, badge: 'nope', position: '4' })
      .expect(404);
    expect(unknown.text).toContain('No badge with the id &quot;nope&quot;.');
    const badPosition = await boss
      .post('/admin/series/tester/milestones')
      .type('form')
      .send({ _csrf: token, badge: 'tester-i', position: 'first' })
      .expect(400);
    expect(badPosition.text).toContain('A whole number, 1 or more.');
    await boss
      .post('/admin/series/tester/milestones')
      .type('form')
      .send({ _csrf: token, badge: 'tester-i', position: '5' })
      .expect(303);
    await boss
      .post('/admin/series/tester/milestones/flock-2026/remove')
      .type('form')
      .send({ _csrf: token })
      .expect(303);
    const api = await t.http().get('/api/v1/series/tester').expect(200);
    expect(api.body.tags).toEqual(['qa']);
    expect(
      api.body.milestones.map((m: { position: number; badge: { id: string } }) => [
        m.position,
        m.badge.id,
      ]),
    ).toEqual([
      [2, 'tester-ii'],
      [5, 'tester-i'],
    ]);
    await boss
      .post('/admin/series/tester')
      .type('form')
      .send({ _csrf: token, name: 'Tester ladder', description: 'Test more', tags: '' })
      .expect(303);
    expect((await t.http().get('/api/v1/series/tester')).body.name).toBe('Tester ladder');
    expect((await audit('series.create')).map((e) => e.subject)).toEqual(['tester']);
    expect((await audit('series.update')).map((e) => e.subject)).toEqual(['tester']);
    expect((await audit('milestone.set')).map((e) => e.subject)).toEqual([
      'tester/tester-i',
      'tester/tester-ii',
      'tester/flock-2026',
      'tester/tester-i',
    ]);
    expect((await audit('milestone.remove')).map((e) => e.subject)).toEqual(['tester/flock-2026']);
  });

  it('audits edits made through the API as well, under the bootstrap token', async () => {
    await t
      .http()
      .patch('/api/v1/badges/named-art')
      .set(auth)
      .send({ description: 'Changed by automation' })
      .expect(200);
    const entries = await audit('badge.update');
    expect(entries[entries.length - 1]).toMatchObject({ actor: 'bootstrap', subject: 'named-art' });
  });
});
