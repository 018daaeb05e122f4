import { auth, createTestApp, type TestApp } from '../support/test-app';
import { award, makeBadge, makePerson } from '../support/factories';

/** A rule written for these tests: two Bodhi comments earn "Two Comments". */
const RULE = `
name: Two Comments
description: Commented on two package updates.
creator: tests
discussion: https://example.org/two-comments
image_url: https://example.org/pngs/two-comments.png
issuer_id: fedora
trigger:
  topic: bodhi.update.comment
criteria:
  datanommer:
    filter:
      topics: ['%(topic)s']
      users: ['%(msg.comment.user.name)s']
    operation: count
    condition:
      greater than or equal to: 2
recipient: '%(msg.comment.user.name)s'
`;

describe('POST /api/v1/rules/test (dry run of a rule over the stored history)', () => {
  let t: TestApp;
  let n = 0;

  /** A Bodhi comment by `user`, sent `daysAgo` days ago, fed through the HTTP intake. */
  async function comment(user: string, daysAgo: number) {
    const sentAt = new Date(Date.now() - daysAgo * 86_400_000).toISOString();
    await t
      .http()
      .post('/api/v1/messages')
      .set(auth)
      .send({
        topic: 'org.fedoraproject.prod.bodhi.update.comment',
        id: `rules-api-${++n}`,
        body: { comment: { user: { name: user }, karma: 1 } },
        headers: { 'sent-at': sentAt, [`fedora_messaging_user_${user}`]: true },
      })
      .expect(200);
  }

  beforeAll(async () => {
    t = await createTestApp();
    // alice: two comments this month. bob: one 60 days ago, one this week (counts run over
    // the whole history as it stood, so a 30-day run still counts his old one). dave: two,
    // both before the last 30 days. carol already holds the badge (id = the name, slugified).
    await comment('alice', 10);
    await comment('alice', 9);
    await comment('bob', 60);
    await comment('bob', 3);
    await comment('dave', 60);
    await comment('dave', 50);
    await makeBadge(t, { id: 'two-comments', name: 'Two Comments' });
    await makePerson(t, 'carol');
    await award(t, 'two-comments', 'carol');
    await comment('carol', 4);
    await comment('carol', 5);
  });
  afterAll(() => t?.close());

  const post = (body: object) => t.http().post('/api/v1/rules/test').set(auth).send(body);

  it('tells who would receive the badge, and why, without writing anything', async () => {
    const count = async () =>
      (await t.dataSource.query(`SELECT count(*)::int AS n FROM assertions`))[0].n as number;
    const before = await count();
    const res = await post({ rule: RULE, since: '30d' }).expect(200);
    expect(res.body).toMatchObject({
      badge_id: 'two-comments',
      badge_name: 'Two Comments',
      scanned: 5,
      triggered: 5,
    });
    expect(res.body.awards).toEqual([
      {
        user: 'alice',
        msg_id: 'rules-api-2',
        topic: 'org.fedoraproject.prod.bodhi.update.comment',
        sent_at: expect.any(String),
        trace: expect.arrayContaining([expect.stringContaining('= 2'), 'criteria met']),
      },
      expect.objectContaining({ user: 'bob', msg_id: 'rules-api-4' }),
    ]);
    expect(res.body.skipped).toEqual(
      expect.arrayContaining([expect.objectContaining({ user: 'carol' })]),
    );
    expect(await count()).toBe(before);
  });

  it('reaches further back with an older since (a duration or a date)', async () => {
    const res = await post({ rule: RULE, since: '90d' }).expect(200);
    expect(res.body.awards.map((a: { user: string }) => a.user)).toEqual(['dave', 'alice', 'bob']);
    const day = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);
    const byDate = await post({ rule: RULE, since: day }).expect(200);
    expect(byDate.body).toMatchObject({ since: `${day}T00:00:00.000Z`, scanned: 8 });
  });

  it('answers 400 RULE.INVALID with the errors of each field when the rule does not load', async () => {
    const res = await post({ rule: RULE.replace('creator: tests\n', '') + 'colour: blue\n' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'RULE.INVALID' });
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'creator', errors: [expect.stringContaining('missing')] },
        { field: 'colour', errors: [expect.any(String)] },
      ]),
    );
    const yaml = await post({ rule: 'name: [' }).expect(400);
    expect(yaml.body.errors).toEqual([{ field: 'rule', errors: [expect.stringMatching(/^YAML/)] }]);
  });

  it('refuses a since that is neither a duration nor a date', async () => {
    const res = await post({ rule: RULE, since: 'last tuesday' }).expect(400);
    expect(res.body.code).toBe('REQUEST.INVALID');
    expect(res.body.errors).toEqual([{ field: 'since', errors: [expect.stringContaining('30d')] }]);
  });

  it('is for admins: 401 without a token, and documented in OpenAPI', async () => {
    const res = await t.http().post('/api/v1/rules/test').send({ rule: RULE }).expect(401);
    expect(res.body.code).toBe('AUTH.REQUIRED');
    const doc = await t.http().get('/api/docs/openapi.json').expect(200);
    expect(doc.body.paths['/api/v1/rules/test'].post.responses).toHaveProperty('400');
  });
});
