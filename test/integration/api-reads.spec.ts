import { award, makeBadge, makeIssuer, makePerson } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';
import { UsersService } from '../../src/modules/users/users.service';
import { ProgressService } from '../../src/modules/awards/progress.service';

describe('REST API reads', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    const issuer = await makeIssuer(t, 'Fedora Project');
    await makeBadge(t, { name: 'Tester I', tags: ['qa', 'bodhi'], issuerId: issuer.id });
    await makeBadge(t, { name: 'Tester II', tags: ['QA'], issuerId: issuer.id });
    await makeBadge(t, {
      name: 'Mirror Mirror',
      tags: ['infra'],
      issuerId: issuer.id,
      description: 'Ran a mirror',
    });
    for (const n of ['alice', 'bob', 'carol', 'dave', 'hidden']) await makePerson(t, n);
    // alice 3, bob 2, carol 2, dave 1, hidden 3 (opted out).
    for (const b of ['tester-i', 'tester-ii', 'mirror-mirror']) await award(t, b, 'alice');
    for (const b of ['tester-i', 'tester-ii']) await award(t, b, 'bob');
    for (const b of ['tester-i', 'mirror-mirror']) await award(t, b, 'carol');
    await award(t, 'tester-i', 'dave', new Date('2020-03-04T10:00:00Z'));
    for (const b of ['tester-i', 'tester-ii', 'mirror-mirror']) await award(t, b, 'hidden');
    await t.get(UsersService).setOptOut('hidden', true);
    // Progress as the rules and the demo seeder record it (ProgressService.record), oldest
    // first: dave's tester-i value is for a badge he already holds.
    const progress = t.get(ProgressService);
    const id = async (n: string) => (await t.get(UsersService).getVisible(n)).id;
    await progress.record('tester-i', await id('dave'), 7, undefined, 10);
    await progress.record('tester-ii', await id('dave'), 3, undefined, 5);
    await progress.record('mirror-mirror', await id('dave'), 12);
    const hiddenId = (await t.get(UsersService).findByNickname('hidden'))!.id;
    await progress.record('tester-i', hiddenId, 1, undefined, 2);
  });

  afterAll(() => t?.close());

  it('lists badges with pagination', async () => {
    const res = await t.http().get('/api/v1/badges?per_page=2').expect(200);
    expect(res.body.total).toBe(3);
    expect(res.body.items).toHaveLength(2);
    expect(res.body.pages).toBe(2);
    expect(res.body.items[0]).toMatchObject({ id: 'mirror-mirror', name: 'Mirror Mirror' });
  });

  it('searches by words and filters by tag', async () => {
    const byWord = await t.http().get('/api/v1/badges?q=mirror').expect(200);
    expect(byWord.body.items.map((b: { id: string }) => b.id)).toEqual(['mirror-mirror']);
    const byTag = await t.http().get('/api/v1/badges?tag=qa').expect(200);
    expect(byTag.body.items.map((b: { id: string }) => b.id)).toEqual(['tester-i', 'tester-ii']);
    const all = await t.http().get('/api/v1/badges?tag=qa,bodhi&match=all').expect(200);
    expect(all.body.items.map((b: { id: string }) => b.id)).toEqual(['tester-i']);
  });

  it('gives a badge with times awarded, first and last award and percent earned', async () => {
    const res = await t.http().get('/api/v1/badges/tester-i').expect(200);
    expect(res.body).toMatchObject({
      id: 'tester-i',
      name: 'Tester I',
      tags: ['qa', 'bodhi'],
      times_awarded: 5,
      first_awarded: '2020-03-04T10:00:00.000Z',
      percent_earned: 100,
      issuer: { name: 'Fedora Project' },
    });
    expect(new Date(res.body.last_awarded).getTime()).toBeGreaterThan(Date.parse('2024-01-01'));
  });

  it('answers 404 with a code for an unknown badge', async () => {
    const res = await t.http().get('/api/v1/badges/no-such-badge').expect(404);
    expect(res.body).toEqual({
      statusCode: 404,
      code: 'BADGE.NOT_FOUND',
      message: 'No badge with the id "no-such-badge".',
    });
  });

  it('lists holders, hiding people who opted out', async () => {
    const res = await t.http().get('/api/v1/badges/tester-i/holders?order=oldest').expect(200);
    expect(res.body.total).toBe(4);
    expect(res.body.items.map((h: { nickname: string }) => h.nickname)).toEqual([
      'dave',
      'alice',
      'bob',
      'carol',
    ]);
  });

  it('counts tags', async () => {
    const res = await t.http().get('/api/v1/tags').expect(200);
    expect(res.body).toEqual([
      { tag: 'qa', badges: 2 },
      { tag: 'bodhi', badges: 1 },
      { tag: 'infra', badges: 1 },
    ]);
  });

  it('gives a user with a shared rank (1, 2, 2, 4) and percentile', async () => {
    const alice = await t.http().get('/api/v1/users/alice').expect(200);
    expect(alice.body).toMatchObject({
      nickname: 'alice',
      badge_count: 3,
      rank: 1,
      ranked_users: 4,
      percentile: 25,
    });
    expect(alice.body).not.toHaveProperty('email');
    const bob = await t.http().get('/api/v1/users/bob').expect(200);
    const carol = await t.http().get('/api/v1/users/carol').expect(200);
    const dave = await t.http().get('/api/v1/users/dave').expect(200);
    expect([bob.body.rank, carol.body.rank, dave.body.rank]).toEqual([2, 2, 4]);
  });

  it('hides people who opted out everywhere', async () => {
    await t.http().get('/api/v1/users/hidden').expect(404);
    await t.http().get('/api/v1/users/hidden/assertions').expect(404);
    const board = await t.http().get('/api/v1/leaderboard').expect(200);
    expect(board.body.entries.map((e: { nickname: string }) => e.nickname)).not.toContain('hidden');
  });

  it("gives a user's progress towards badges not yet held, newest first", async () => {
    const res = await t.http().get('/api/v1/users/dave/progress').expect(200);
    expect(res.body).toEqual([
      {
        badge_id: 'mirror-mirror',
        badge_name: 'Mirror Mirror',
        image_url: expect.stringMatching(/\/pngs\/mirror-mirror\.png$/),
        value: 12,
        target: null,
        last_update: expect.stringMatching(/Z$/),
      },
      {
        badge_id: 'tester-ii',
        badge_name: 'Tester II',
        image_url: expect.stringMatching(/\/pngs\/tester-ii\.png$/),
        value: 3,
        target: 5,
        last_update: expect.stringMatching(/Z$/),
      },
    ]);
    expect(Date.parse(res.body[0].last_update)).toBeGreaterThanOrEqual(
      Date.parse(res.body[1].last_update),
    );
    expect((await t.http().get('/api/v1/users/alice/progress').expect(200)).body).toEqual([]);
  });

  it('answers 404 for the progress of an unknown user or one who opted out', async () => {
    const unknown = await t.http().get('/api/v1/users/nobody/progress').expect(404);
    expect(unknown.body.code).toBe('USER.NOT_FOUND');
    const hidden = await t.http().get('/api/v1/users/hidden/progress').expect(404);
    // The same answer as for someone who never existed: opting out hides the person.
    expect(hidden.body).toEqual({
      ...unknown.body,
      message: unknown.body.message.replace('nobody', 'hidden'),
    });
  });

  it('lists the assertions of a user, newest first', async () => {
    const res = await t.http().get('/api/v1/users/carol/assertions').expect(200);
    expect(res.body.total).toBe(2);
    expect(res.body.items.map((a: { badge: { id: string } }) => a.badge.id)).toEqual([
      'mirror-mirror',
      'tester-i',
    ]);
    expect(res.body.items[0].issued_on).toMatch(/Z$/);
  });

  it('gives the all-time leaderboard with ties sharing a rank', async () => {
    const res = await t.http().get('/api/v1/leaderboard?limit=10').expect(200);
    expect(res.body.period).toBe('all');
    expect(res.body.entries).toEqual([
      { rank: 1, nickname: 'alice', badges: 3 },
      { rank: 2, nickname: 'bob', badges: 2 },
      { rank: 2, nickname: 'carol', badges: 2 },
      { rank: 4, nickname: 'dave', badges: 1 },
    ]);
  });

  it('keeps ranks right across pages', async () => {
    const res = await t.http().get('/api/v1/leaderboard?limit=2&offset=2').expect(200);
    expect(res.body.entries).toEqual([
      { rank: 2, nickname: 'carol', badges: 2 },
      { rank: 4, nickname: 'dave', badges: 1 },
    ]);
  });

  it('gives period leaderboards from the awards of the current calendar period', async () => {
    for (const period of ['year', 'month', 'week', 'day']) {
      const res = await t.http().get(`/api/v1/leaderboard?period=${period}`).expect(200);
      // dave's only award is from 2020: he is not in this period.
      expect(res.body.entries.map((e: { nickname: string }) => e.nickname)).toEqual([
        'alice',
        'bob',
        'carol',
      ]);
      expect(res.body.entries.map((e: { rank: number }) => e.rank)).toEqual([1, 2, 2]);
      expect(res.body.start).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('refuses an unknown period with the field named', async () => {
    const res = await t.http().get('/api/v1/leaderboard?period=fortnight').expect(400);
    expect(res.body.code).toBe('REQUEST.INVALID');
    expect(res.body.message).toContain('period');
  });
});
