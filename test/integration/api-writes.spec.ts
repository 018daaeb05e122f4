import { tinyPng } from '../support/art';
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

  describe('badge art sent with the badge', () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>');

    it('stores a PNG sent on create and serves it under /pngs/, in the same transaction', async () => {
      const png = tinyPng();
      const res = await t
        .http()
        .post('/api/v1/badges')
        .set(auth)
        .send({
          name: 'Art Day',
          description: 'Drew badge art.',
          criteria: 'https://example.org/art',
          issuer_id: issuerId,
          art: png.toString('base64'),
        })
        .expect(201);
      expect(res.body.image).toMatch(/^art-day-[0-9a-f]{12}\.png$/);
      const served = await t.http().get(`/pngs/${res.body.image}`).expect(200);
      expect(Buffer.compare(served.body as Buffer, png)).toBe(0);
    });

    it('replaces the art on update: a new file name, the new bytes', async () => {
      const res = await t
        .http()
        .patch('/api/v1/badges/art-day')
        .set(auth)
        .send({ art: svg.toString('base64') })
        .expect(200);
      expect(res.body.image).toMatch(/^art-day-[0-9a-f]{12}\.svg$/);
      const served = await t.http().get(`/pngs/${res.body.image}`).expect(200);
      expect(served.headers['content-type']).toContain('image/svg+xml');
    });

    it('refuses what is not badge art with 400 and creates nothing', async () => {
      const res = await t
        .http()
        .post('/api/v1/badges')
        .set(auth)
        .send({
          name: 'Not Art',
          description: 'd',
          criteria: 'c',
          issuer_id: issuerId,
          art: Buffer.from('just some text').toString('base64'),
        })
        .expect(400);
      expect(res.body.code).toBe('BADGE.ART_INVALID');
      await t.http().get('/api/v1/badges/not-art').expect(404);
      const noImage = await t
        .http()
        .post('/api/v1/badges')
        .set(auth)
        .send({ name: 'No Art', description: 'd', criteria: 'c', issuer_id: issuerId })
        .expect(400);
      expect(noImage.body.message).toContain('image');
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

    it('creates an issuer and answers it in full', async () => {
      const res = await t
        .http()
        .post('/api/v1/issuers')
        .set(auth)
        .send({
          name: 'Fedora Infrastructure',
          origin: 'https://infrastructure.fedoraproject.org',
          org: 'Fedora Infra',
          contact: 'infra@fedoraproject.org',
        })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.any(Number),
        name: 'Fedora Infrastructure',
        origin: 'https://infrastructure.fedoraproject.org',
        org: 'Fedora Infra',
        contact: 'infra@fedoraproject.org',
        image: null,
        created_on: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
      });
      const read = await t.http().get(`/api/v1/issuers/${res.body.id}`).expect(200);
      expect(read.body).toEqual(res.body);
      const again = await t
        .http()
        .post('/api/v1/issuers')
        .set(auth)
        .send({ name: 'Fedora Infrastructure', origin: 'https://x', org: 'X', contact: 'x@x' })
        .expect(409);
      expect(again.body.code).toBe('ISSUER.ALREADY_EXISTS');
    });

    it('updates only the fields sent, and refuses a name another issuer has', async () => {
      const { id } = await makeIssuer(t, 'Fedora QA');
      const res = await t
        .http()
        .patch(`/api/v1/issuers/${id}`)
        .set(auth)
        .send({ contact: 'qa@fedoraproject.org', image: 'https://fedoraproject.org/qa.png' })
        .expect(200);
      expect(res.body).toMatchObject({
        id,
        name: 'Fedora QA',
        origin: 'https://fedoraproject.org',
        org: 'Fedora',
        contact: 'qa@fedoraproject.org',
        image: 'https://fedoraproject.org/qa.png',
      });
      expect((await t.http().get(`/api/v1/issuers/${id}`)).body).toEqual(res.body);
      const taken = await t
        .http()
        .patch(`/api/v1/issuers/${id}`)
        .set(auth)
        .send({ name: 'Fedora Project' })
        .expect(409);
      expect(taken.body.code).toBe('ISSUER.ALREADY_EXISTS');
      const unknown = await t
        .http()
        .patch('/api/v1/issuers/999999')
        .set(auth)
        .send({ contact: 'x@x' })
        .expect(404);
      expect(unknown.body.code).toBe('ISSUER.NOT_FOUND');
    });

    it('deletes an issuer without badges; an unknown issuer is 404', async () => {
      const { id } = await makeIssuer(t, 'Short Lived');
      const res = await t.http().delete(`/api/v1/issuers/${id}`).set(auth).expect(204);
      expect(res.text).toBe('');
      const gone = await t.http().get(`/api/v1/issuers/${id}`).expect(404);
      expect(gone.body.code).toBe('ISSUER.NOT_FOUND');
      const list = await t.http().get('/api/v1/issuers').expect(200);
      expect(list.body.map((i: { id: number }) => i.id)).not.toContain(id);
      const again = await t.http().delete(`/api/v1/issuers/${id}`).set(auth).expect(404);
      expect(again.body.code).toBe('ISSUER.NOT_FOUND');
      const unknown = await t.http().delete('/api/v1/issuers/999999').set(auth).expect(404);
      expect(unknown.body.code).toBe('ISSUER.NOT_FOUND');
    });

    it('updates a series but never its id', async () => {
      await t
        .http()
        .post('/api/v1/series')
        .set(auth)
        .send({ name: 'Packager', description: 'Package things', tags: ['packaging'] })
        .expect(201);
      const [{ last_updated: before }] = await t.dataSource.query(
        `SELECT last_updated FROM series WHERE id = 'packager'`,
      );
      await t.http().patch('/api/v1/series/packager').set(auth).send({ id: 'moved' }).expect(400);
      const res = await t
        .http()
        .patch('/api/v1/series/packager')
        .set(auth)
        .send({ name: 'Packager Ladder', tags: ['RPM', 'packaging', 'rpm'] })
        .expect(200);
      expect(res.body).toMatchObject({
        id: 'packager',
        name: 'Packager Ladder',
        description: 'Package things',
        tags: ['rpm', 'packaging'],
        team_id: null,
      });
      expect(Date.parse(res.body.last_updated)).toBeGreaterThan(new Date(before).getTime());
      const taken = await t
        .http()
        .patch('/api/v1/series/packager')
        .set(auth)
        .send({ name: 'Steps' })
        .expect(409);
      expect(taken.body.code).toBe('SERIES.ALREADY_EXISTS');
      const team = await t
        .http()
        .patch('/api/v1/series/packager')
        .set(auth)
        .send({ team_id: 'no-such-team' })
        .expect(404);
      expect(team.body.code).toBe('TEAM.NOT_FOUND');
      const unknown = await t
        .http()
        .patch('/api/v1/series/nope')
        .set(auth)
        .send({ name: 'Whatever' })
        .expect(404);
      expect(unknown.body.code).toBe('SERIES.NOT_FOUND');
    });

    it('deletes a series with its milestones and keeps the badges', async () => {
      for (const name of ['Rung One', 'Rung Two']) await makeBadge(t, { name, issuerId });
      await t
        .http()
        .post('/api/v1/series')
        .set(auth)
        .send({ name: 'Doomed Ladder', description: 'Soon gone' })
        .expect(201);
      for (const [position, badge] of ['rung-one', 'rung-two'].entries())
        await t
          .http()
          .put(`/api/v1/series/doomed-ladder/milestones/${badge}`)
          .set(auth)
          .send({ position: position + 1 })
          .expect(200);
      const res = await t.http().delete('/api/v1/series/doomed-ladder').set(auth).expect(204);
      expect(res.text).toBe('');
      const gone = await t.http().get('/api/v1/series/doomed-ladder').expect(404);
      expect(gone.body.code).toBe('SERIES.NOT_FOUND');
      // milestones.series_id REFERENCES series ON DELETE CASCADE.
      const [{ n }] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM milestones WHERE series_id = 'doomed-ladder'`,
      );
      expect(n).toBe(0);
      await t.http().get('/api/v1/badges/rung-one').expect(200);
      await t.http().get('/api/v1/badges/rung-two').expect(200);
      const list = await t.http().get('/api/v1/series').expect(200);
      expect(list.body.map((s: { id: string }) => s.id)).not.toContain('doomed-ladder');
      const again = await t.http().delete('/api/v1/series/doomed-ladder').set(auth).expect(404);
      expect(again.body.code).toBe('SERIES.NOT_FOUND');
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

  describe('deleting a badge', () => {
    it('deletes a badge with its awards: counts, ranks and period boards follow', async () => {
      for (const name of ['Doomed', 'Keeper One', 'Keeper Two'])
        await makeBadge(t, { name, issuerId });
      for (const nickname of ['ada', 'bea']) await makePerson(t, nickname);
      for (const badge_id of ['doomed', 'keeper-one', 'keeper-two'])
        await t
          .http()
          .post('/api/v1/assertions')
          .set(auth)
          .send({ badge_id, nickname: 'ada' })
          .expect(201);
      for (const badge_id of ['keeper-one', 'keeper-two'])
        await t
          .http()
          .post('/api/v1/assertions')
          .set(auth)
          .send({ badge_id, nickname: 'bea' })
          .expect(201);
      await t
        .http()
        .post('/api/v1/assertions')
        .set(auth)
        .send({ badge_id: 'doomed', nickname: 'decause' })
        .expect(201);
      expect((await t.http().get('/api/v1/users/ada')).body).toMatchObject({
        badge_count: 3,
        rank: 1,
      });
      expect((await t.http().get('/api/v1/users/bea')).body).toMatchObject({
        badge_count: 2,
        rank: 2,
      });
      const decauseBefore = (await t.http().get('/api/v1/users/decause')).body.badge_count;

      const res = await t.http().delete('/api/v1/badges/doomed').set(auth).expect(204);
      expect(res.text).toBe('');

      const gone = await t.http().get('/api/v1/badges/doomed').expect(404);
      expect(gone.body.code).toBe('BADGE.NOT_FOUND');
      const [{ n }] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM assertions WHERE badge_id = 'doomed'`,
      );
      expect(n).toBe(0);
      // ada and bea now hold two badges each: they share the first rank.
      expect((await t.http().get('/api/v1/users/ada')).body).toMatchObject({
        badge_count: 2,
        rank: 1,
      });
      expect((await t.http().get('/api/v1/users/bea')).body).toMatchObject({
        badge_count: 2,
        rank: 1,
      });
      expect((await t.http().get('/api/v1/users/decause')).body.badge_count).toBe(
        decauseBefore - 1,
      );
      const held = await t.http().get('/api/v1/users/ada/assertions').expect(200);
      expect(held.body.items.map((a: { badge: { id: string } }) => a.badge.id).sort()).toEqual([
        'keeper-one',
        'keeper-two',
      ]);
      for (const period of ['all', 'week']) {
        const board = await t.http().get(`/api/v1/leaderboard?period=${period}`).expect(200);
        expect(board.body.entries.slice(0, 2)).toEqual([
          { rank: 1, nickname: 'ada', badges: 2 },
          { rank: 1, nickname: 'bea', badges: 2 },
        ]);
      }
      const again = await t.http().delete('/api/v1/badges/doomed').set(auth).expect(404);
      expect(again.body.code).toBe('BADGE.NOT_FOUND');
    });
  });
});
