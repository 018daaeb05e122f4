import { makeBadge, makeIssuer, makePerson } from '../support/factories';
import { auth, createTestApp, type TestApp } from '../support/test-app';

describe('REST API writes', () => {
  let t: TestApp;
  let issuerId: number;

  beforeAll(async () => {
    t = await createTestApp();
    issuerId = (await makeIssuer(t, 'Fedora Project')).id;
    await makeBadge(t, { name: 'Flock 2026', issuerId });
    await makePerson(t, 'ralph');
    await makePerson(t, 'decause');
  });

  afterAll(() => t?.close());

  describe('without a valid token', () => {
    it('answers 401 and writes nothing', async () => {
      const body = { badge_id: 'flock-2026', nickname: 'ralph' };
      const none = await t.http().post('/api/v1/assertions').send(body).expect(401);
      expect(none.body).toMatchObject({ statusCode: 401, code: 'AUTH.REQUIRED' });
      const wrong = await t
        .http()
        .post('/api/v1/assertions')
        .set('Authorization', 'Bearer nope')
        .send(body)
        .expect(401);
      expect(wrong.body.code).toBe('AUTH.INVALID_TOKEN');
      await t.http().delete('/api/v1/badges/flock-2026').expect(401);
      const holders = await t.http().get('/api/v1/badges/flock-2026/holders').expect(200);
      expect(holders.body.total).toBe(0);
    });

    it('answers 401 for every write when no admin token is configured', async () => {
      const bare = await createTestApp({ env: { ACCOLADES_ADMIN_TOKEN: '' } });
      try {
        const res = await bare
          .http()
          .post('/api/v1/issuers')
          .set('Authorization', 'Bearer anything-at-all-123')
          .send({ name: 'X', origin: 'https://x', org: 'X', contact: 'x@x' })
          .expect(401);
        expect(res.body.code).toBe('AUTH.INVALID_TOKEN');
      } finally {
        await bare.close();
      }
    });
  });

  describe('badges', () => {
    it('creates a badge with an id from its name and a proper tag list', async () => {
      const res = await t
        .http()
        .post('/api/v1/badges')
        .set(auth)
        .send({
          name: "Bodhi's (Binary) Star?",
          image: 'bodhi-binary-star.png',
          description: 'A description much longer than Tahrir allowed. '.repeat(8),
          criteria: 'https://pagure.io/fedora-badges/issue/42',
          issuer_id: issuerId,
          tags: ['QA', 'bodhi', 'qa'],
        })
        .expect(201);
      expect(res.body).toMatchObject({
        id: 'bodhis-binary-star',
        tags: ['qa', 'bodhi'],
        times_awarded: 0,
      });
      expect(res.body.description.length).toBeGreaterThan(128);
      expect(res.body.image_url).toMatch(/\/pngs\/bodhi-binary-star\.png$/);
    });

    it('lists every invalid field in a 400', async () => {
      const res = await t
        .http()
        .post('/api/v1/badges')
        .set(auth)
        .send({ name: '', issuer_id: 'one', surprise: true })
        .expect(400);
      expect(res.body.code).toBe('REQUEST.INVALID');
      const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
      expect(fields).toEqual(['criteria', 'description', 'image', 'issuer_id', 'name', 'surprise']);
    });

    it('refuses a duplicate name with 409', async () => {
      const res = await t
        .http()
        .post('/api/v1/badges')
        .set(auth)
        .send({
          id: 'other-id',
          name: 'Flock 2026',
          image: 'a.png',
          description: 'd',
          criteria: 'c',
          issuer_id: issuerId,
        })
        .expect(409);
      expect(res.body.code).toBe('BADGE.ALREADY_EXISTS');
    });

    it('answers 404 for an unknown issuer', async () => {
      const res = await t
        .http()
        .post('/api/v1/badges')
        .set(auth)
        .send({ name: 'Orphan', image: 'a.png', description: 'd', criteria: 'c', issuer_id: 9999 })
        .expect(404);
      expect(res.body.code).toBe('ISSUER.NOT_FOUND');
    });

    it('updates a badge but never its id', async () => {
      await t.http().patch('/api/v1/badges/flock-2026').set(auth).send({ id: 'moved' }).expect(400);
      const res = await t
        .http()
        .patch('/api/v1/badges/flock-2026')
        .set(auth)
        .send({ description: 'Attended Flock 2026', tags: ['events'] })
        .expect(200);
      expect(res.body).toMatchObject({
        id: 'flock-2026',
        description: 'Attended Flock 2026',
        tags: ['events'],
      });
    });
  });

  describe('awards', () => {
    it('awards once, then answers 409 and keeps a single row', async () => {
      const first = await t
        .http()
        .post('/api/v1/assertions')
        .set(auth)
        .send({
          badge_id: 'flock-2026',
          nickname: 'ralph',
          issued_for: 'https://flocktofedora.org',
        })
        .expect(201);
      expect(first.body).toMatchObject({
        badge_id: 'flock-2026',
        nickname: 'ralph',
        old_rank: null,
        new_rank: 1,
      });
      expect(first.body.recipient).toMatch(/^sha256\$[0-9a-f]{64}$/);
      const again = await t
        .http()
        .post('/api/v1/assertions')
        .set(auth)
        .send({ badge_id: 'flock-2026', nickname: 'ralph' })
        .expect(409);
      expect(again.body.code).toBe('ASSERTION.ALREADY_EXISTS');
      const [{ n }] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM assertions WHERE badge_id = 'flock-2026'`,
      );
      expect(n).toBe(1);
    });

    it('gives exactly one row when the same award races with itself', async () => {
      await makeBadge(t, { name: 'Race', issuerId });
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          t
            .http()
            .post('/api/v1/assertions')
            .set(auth)
            .send({ badge_id: 'race', nickname: 'decause' }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
      const user = await t.http().get('/api/v1/users/decause').expect(200);
      expect(user.body.badge_count).toBe(1);
    });

    it('answers 404 with the right code for an unknown badge or user', async () => {
      const badge = await t
        .http()
        .post('/api/v1/assertions')
        .set(auth)
        .send({ badge_id: 'nope', nickname: 'ralph' });
      expect(badge.status).toBe(404);
      expect(badge.body.code).toBe('BADGE.NOT_FOUND');
      const user = await t
        .http()
        .post('/api/v1/assertions')
        .set(auth)
        .send({ badge_id: 'flock-2026', nickname: 'ghost' });
      expect(user.status).toBe(404);
      expect(user.body.code).toBe('USER.NOT_FOUND');
    });

    it('revokes an award: counts and ranks follow, the revocation is kept', async () => {
      await makeBadge(t, { name: 'Revocable', issuerId });
      await t
        .http()
        .post('/api/v1/assertions')
        .set(auth)
        .send({ badge_id: 'revocable', nickname: 'ralph' })
        .expect(201);
      expect((await t.http().get('/api/v1/users/ralph')).body.badge_count).toBe(2);
      const res = await t
        .http()
        .delete('/api/v1/badges/revocable/holders/ralph')
        .set(auth)
        .send({ reason: 'awarded by mistake' })
        .expect(200);
      expect(res.body).toMatchObject({ revoked: true, reason: 'awarded by mistake' });
      expect((await t.http().get('/api/v1/users/ralph')).body.badge_count).toBe(1);
      expect((await t.http().get('/api/v1/badges/revocable')).body.times_awarded).toBe(0);
      const [kept] = await t.dataSource.query(
        `SELECT reason FROM revoked_assertions WHERE id = $1`,
        [res.body.id],
      );
      expect(kept.reason).toBe('awarded by mistake');
      const again = await t
        .http()
        .delete('/api/v1/badges/revocable/holders/ralph')
        .set(auth)
        .expect(404);
      expect(again.body.code).toBe('ASSERTION.NOT_FOUND');
    });

    it('writes nothing half-way when a transaction fails', async () => {
      const before = await t.dataSource.query(`SELECT count(*)::int AS n FROM assertions`);
      const { AwardsService } = await import('../../src/modules/awards/awards.service');
      const awards = t.get(AwardsService);
      await expect(
        t.dataSource.transaction(async (m) => {
          await awards.award({ badgeId: 'race', nickname: 'ralph' }, m);
          await awards.award({ badgeId: 'no-such-badge', nickname: 'ralph' }, m);
        }),
      ).rejects.toMatchObject({ code: 'BADGE.NOT_FOUND' });
      const after = await t.dataSource.query(`SELECT count(*)::int AS n FROM assertions`);
      expect(after[0].n).toBe(before[0].n);
      expect((await t.http().get('/api/v1/users/ralph')).body.badge_count).toBe(1);
    });
  });

  describe('issuers, series, milestones, authorizations', () => {
    it('builds a series ladder in order', async () => {
      for (const [i, name] of ['Step Two', 'Step One', 'Step Three'].entries()) {
        await makeBadge(t, { name, issuerId });
        void i;
      }
      await t
        .http()
        .post('/api/v1/series')
        .set(auth)
        .send({ name: 'Steps', description: 'Climb' })
        .expect(201);
      await t
        .http()
        .put('/api/v1/series/steps/milestones/step-two')
        .set(auth)
        .send({ position: 2 })
        .expect(200);
      await t
        .http()
        .put('/api/v1/series/steps/milestones/step-one')
        .set(auth)
        .send({ position: 1 })
        .expect(200);
      await t
        .http()
        .put('/api/v1/series/steps/milestones/step-three')
        .set(auth)
        .send({ position: 3 })
        .expect(200);
      const res = await t.http().get('/api/v1/series/steps').expect(200);
      expect(res.body.milestones.map((m: { badge: { id: string } }) => m.badge.id)).toEqual([
        'step-one',
        'step-two',
        'step-three',
      ]);
      const list = await t.http().get('/api/v1/series').expect(200);
      expect(list.body).toEqual([expect.objectContaining({ id: 'steps', badge_count: 3 })]);
      await t.http().delete('/api/v1/series/steps/milestones/step-two').set(auth).expect(204);
      const after = await t.http().get('/api/v1/series/steps').expect(200);
      expect(after.body.milestones).toHaveLength(2);
      await t.http().get('/api/v1/series/nope').expect(404);
    });

    it('refuses to delete an issuer that still has badges', async () => {
      const res = await t.http().delete(`/api/v1/issuers/${issuerId}`).set(auth).expect(409);
      expect(res.body.code).toBe('ISSUER.IN_USE');
    });

    it('manages who may grant a badge', async () => {
      await t
        .http()
        .post('/api/v1/badges/flock-2026/authorizations')
        .set(auth)
        .send({ nickname: 'decause' })
        .expect(201);
      await t
        .http()
        .post('/api/v1/badges/flock-2026/authorizations')
        .set(auth)
        .send({ nickname: 'decause' })
        .expect(409);
      expect((await t.http().get('/api/v1/badges/flock-2026/authorizations')).body).toEqual([
        { nickname: 'decause' },
      ]);
      await t
        .http()
        .delete('/api/v1/badges/flock-2026/authorizations/decause')
        .set(auth)
        .expect(204);
      expect((await t.http().get('/api/v1/badges/flock-2026/authorizations')).body).toEqual([]);
    });
  });
});
