import { AuthorizationsService } from '../../src/modules/awards/authorizations.service';
import { award, makeBadge, makePerson } from '../support/factories';
import { csrf, loginAs, type Agent } from '../support/login';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc';
import { auth, createTestApp, type TestApp } from '../support/test-app';

/** Granting and revoking by hand: bulk with a preview (admins), and granters on badge pages. */
describe('granting and revoking badges by hand', () => {
  let provider: TestOidcProvider;
  let t: TestApp;
  let boss: Agent;
  let gina: Agent;
  let nobody: Agent;

  beforeAll(async () => {
    provider = await startOidcProvider();
    t = await createTestApp({ env: provider.env });
    boss = await loginAs(t, { username: 'boss', groups: ['sysadmin-badges'] });
    gina = await loginAs(t, { username: 'gina' });
    nobody = await loginAs(t, { username: 'nobody' });
    await makeBadge(t, { name: 'Flock 2026' });
    await makeBadge(t, { name: 'Mentor' });
    for (const n of ['ann', 'bob', 'cat', 'dan', 'eve']) await makePerson(t, n);
    await award(t, 'flock-2026', 'cat');
    await t.get(AuthorizationsService).add('mentor', 'gina');
  });

  afterAll(async () => {
    await t?.close();
    await provider?.stop();
  });

  const holders = async (badge: string) =>
    (
      (await t.dataSource.query(
        `SELECT p.nickname FROM assertions a JOIN persons p ON p.id = a.person_id
          WHERE a.badge_id = $1 ORDER BY p.nickname`,
        [badge],
      )) as { nickname: string }[]
    ).map((r) => r.nickname);
  const audit = async (action: string) =>
    (await t.dataSource.query(
      `SELECT actor, subject, details FROM audit_log WHERE action = $1 ORDER BY id`,
      [action],
    )) as { actor: string; subject: string; details: Record<string, unknown> }[];

  async function preview(mode: 'grant' | 'revoke', fields: Record<string, string>, csv?: string) {
    const token = await csrf(boss, `/admin/badges/flock-2026/${mode}`);
    let req = boss.post(
      `/admin/badges/flock-2026/${mode}/preview?_csrf=${encodeURIComponent(token)}`,
    );
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    if (csv)
      req = req.attach('csv', Buffer.from(csv), {
        filename: 'people.csv',
        contentType: 'text/csv',
      });
    return req;
  }

  /** The hidden fields of the preview's confirmation form. */
  function confirmation(html: string): Record<string, string> {
    const form = /<form action="[^"]*\/confirm" method="post">([\s\S]*?)<\/form>/.exec(html)![1];
    const fields: Record<string, string> = {};
    for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
      fields[m[1]] = m[2]
        .replace(/&amp;/g, '&')
        .replace(/&#x3D;/g, '=')
        .replace(/&#x2F;/g, '/');
    }
    return fields;
  }

  it('previews a bulk grant from typed names and a CSV file, writing nothing', async () => {
    const auditBefore = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_log`);
    const res = await preview(
      'grant',
      { names: 'ann, bob\ncat ghost not/a/name', issued_for: 'https://flocktofedora.org' },
      'Name,Username\nDan D,dan\nAnn again,ann\n',
    );
    expect(res.status).toBe(200);
    const text = res.text.replace(/\s+/g, ' ');
    expect(text).toContain('Will get the badge (3)');
    expect(text).toMatch(
      /Will get the badge \(3\)<\/h2> <ul class="name-list"><li>ann<\/li><li>bob<\/li><li>dan<\/li><\/ul>/,
    );
    expect(text).toMatch(/Already have it \(1\)<\/h2> <ul class="name-list"><li>cat<\/li>/);
    expect(text).toMatch(/Unknown here, left out \(1\).*<li>ghost<\/li>/);
    expect(text).toMatch(/Not account names, left out \(1\).*<li>not\/a\/name<\/li>/);
    expect(await holders('flock-2026')).toEqual(['cat']);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_log`)).toEqual(
      auditBefore,
    );
  });

  it('confirms the previewed grant, all at once, audited per person', async () => {
    const res = await preview('grant', {
      names: 'ann bob cat dan',
      issued_for: 'https://flocktofedora.org',
    });
    const fields = confirmation(res.text);
    expect(fields.confirmed).toBe('ann bob dan');
    const done = await boss
      .post('/admin/badges/flock-2026/grant/confirm')
      .type('form')
      .send(fields)
      .expect(303);
    expect(done.headers.location).toBe('/admin/badges/flock-2026/grant?done=3');
    const page = await boss.get(done.headers.location).expect(200);
    expect(page.text).toContain('Granted to 3 people.');
    expect(await holders('flock-2026')).toEqual(['ann', 'bob', 'cat', 'dan']);
    const [row] = await t.dataSource.query(
      `SELECT issued_for FROM assertions WHERE badge_id = 'flock-2026' AND person_id = (SELECT id FROM persons WHERE nickname = 'dan')`,
    );
    expect(row.issued_for).toBe('https://flocktofedora.org');
    const entries = await audit('badge.grant');
    expect(entries.map((e) => [e.actor, e.subject])).toEqual([
      ['boss', 'flock-2026/ann'],
      ['boss', 'flock-2026/bob'],
      ['boss', 'flock-2026/dan'],
    ]);
    expect(new Set(entries.map((e) => e.details.batch)).size).toBe(1);
  });

  it('writes nothing when the list changed between preview and confirm, and says so', async () => {
    const res = await preview('grant', { names: 'eve ann' });
    const fields = confirmation(res.text);
    expect(fields.confirmed).toBe('eve');
    // Meanwhile eve gets the badge another way: the confirmed plan no longer holds.
    await award(t, 'flock-2026', 'eve');
    await t.dataSource.query(
      `DELETE FROM assertions WHERE badge_id = 'flock-2026' AND person_id = (SELECT id FROM persons WHERE nickname = 'ann')`,
    );
    const auditBefore = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_log`);
    const changed = await boss
      .post('/admin/badges/flock-2026/grant/confirm')
      .type('form')
      .send(fields)
      .expect(409);
    expect(changed.text).toContain('Things changed since the preview');
    expect(confirmation(changed.text).confirmed).toBe('ann');
    expect(await holders('flock-2026')).toEqual(['bob', 'cat', 'dan', 'eve']);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_log`)).toEqual(
      auditBefore,
    );
  });

  it('revokes several people with a reason, after a preview', async () => {
    const res = await preview('revoke', { names: 'bob dan ann', reason: 'Did not attend' });
    const text = res.text.replace(/\s+/g, ' ');
    expect(text).toMatch(
      /Will lose the badge \(2\)<\/h2> <ul class="name-list"><li>bob<\/li><li>dan<\/li>/,
    );
    expect(text).toMatch(/Do not have it \(1\).*<li>ann<\/li>/);
    const fields = confirmation(res.text);
    await boss
      .post('/admin/badges/flock-2026/revoke/confirm')
      .type('form')
      .send(fields)
      .expect(303);
    expect(await holders('flock-2026')).toEqual(['cat', 'eve']);
    const revoked = await t.dataSource.query(
      `SELECT reason FROM revoked_assertions WHERE badge_id = 'flock-2026' ORDER BY reason`,
    );
    expect(revoked.map((r: { reason: string }) => r.reason)).toContain('Did not attend');
    expect((await audit('badge.revoke')).map((e) => [e.subject, e.details.reason])).toEqual([
      ['flock-2026/bob', 'Did not attend'],
      ['flock-2026/dan', 'Did not attend'],
    ]);
  });

  it('re-renders the form for an empty list or a bad link, and refuses others', async () => {
    const empty = await preview('grant', { names: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Name at least one person');
    const badLink = await preview('grant', {
      names: 'ann',
      issued_for: 'javascript:alert(1)',
    });
    expect(badLink.status).toBe(400);
    expect(badLink.text).toContain('Give an http:// or https:// address');
    expect(badLink.text).toContain('>ann</textarea>');
    await gina.get('/admin/badges/flock-2026/grant').set('Accept', 'text/html').expect(403);
    await boss.get('/admin/badges/nope/grant').set('Accept', 'text/html').expect(404);
    const forged = await boss
      .post('/admin/badges/flock-2026/grant/confirm')
      .type('form')
      .send({ names: 'ann', confirmed: 'ann' })
      .expect(403);
    expect(forged.text).toContain('Reload the page');
    expect(await holders('flock-2026')).toEqual(['cat', 'eve']);
  });

  it('shows granters a grant form on their badge page, and lets them grant', async () => {
    const page = await gina.get('/badge/mentor').expect(200);
    expect(page.text).toContain('Grant this badge');
    expect((await nobody.get('/badge/mentor').expect(200)).text).not.toContain('Grant this badge');
    expect((await gina.get('/badge/flock-2026').expect(200)).text).not.toContain(
      'Grant this badge',
    );
    const token = await csrf(gina, '/badge/mentor');
    const res = await gina
      .post('/badge/mentor/grant')
      .type('form')
      .send({ _csrf: token, nickname: 'ann', issued_for: 'https://example.org/mentoring' })
      .expect(303);
    expect(res.headers.location).toBe('/badge/mentor?granted=ann');
    expect((await gina.get(res.headers.location)).text).toContain('Granted to ann.');
    expect(await holders('mentor')).toEqual(['ann']);
    const [entry] = (await audit('badge.grant')).filter((e) => e.subject === 'mentor/ann');
    expect(entry).toMatchObject({
      actor: 'gina',
      details: { issuedFor: 'https://example.org/mentoring' },
    });
  });

  it('re-renders the badge page with the granter form errors', async () => {
    const token = await csrf(gina, '/badge/mentor');
    const again = await gina
      .post('/badge/mentor/grant')
      .type('form')
      .send({ _csrf: token, nickname: 'ann' })
      .expect(409);
    expect(again.text).toContain('&quot;ann&quot; already holds the badge &quot;mentor&quot;.');
    const unknown = await gina
      .post('/badge/mentor/grant')
      .type('form')
      .send({ _csrf: token, nickname: 'ghost' })
      .expect(404);
    expect(unknown.text).toContain('value="ghost"');
    expect(unknown.text).toContain('id="f-nickname-error"');
  });

  it('refuses a non-granter with a 403 page, and writes nothing', async () => {
    const token = await csrf(nobody, '/badge/mentor');
    const res = await nobody
      .post('/badge/mentor/grant')
      .type('form')
      .set('Accept', 'text/html')
      .send({ _csrf: token, nickname: 'bob' })
      .expect(403);
    expect(res.text).toContain('You may not grant the badge &quot;mentor&quot;');
    expect(await holders('mentor')).toEqual(['ann']);
  });

  it('lets granters grant and revoke their badge through the API, not other badges', async () => {
    const token = await csrf(gina, '/settings/tokens');
    const created = await gina
      .post('/api/v1/tokens')
      .set('x-csrf-token', token)
      .send({ name: 'cli', scopes: ['grant'] })
      .expect(201);
    const bearer = { Authorization: `Bearer ${created.body.token}` };
    await t
      .http()
      .post('/api/v1/assertions')
      .set(bearer)
      .send({ badge_id: 'mentor', nickname: 'bob' })
      .expect(201);
    const other = await t
      .http()
      .post('/api/v1/assertions')
      .set(bearer)
      .send({ badge_id: 'flock-2026', nickname: 'bob' })
      .expect(403);
    expect(other.body.code).toBe('GRANT.FORBIDDEN');
    await t
      .http()
      .delete('/api/v1/badges/mentor/holders/bob')
      .set(bearer)
      .send({ reason: 'by mistake' })
      .expect(200);
    expect(await holders('mentor')).toEqual(['ann']);
    const entries = await audit('badge.revoke');
    expect(entries[entries.length - 1]).toMatchObject({ actor: 'gina', subject: 'mentor/bob' });
    // The bootstrap token grants anything, and is audited as such.
    await t
      .http()
      .post('/api/v1/assertions')
      .set(auth)
      .send({ badge_id: 'mentor', nickname: 'dan' })
      .expect(201);
    const grants = await audit('badge.grant');
    expect(grants[grants.length - 1]).toMatchObject({ actor: 'bootstrap', subject: 'mentor/dan' });
  });
});
