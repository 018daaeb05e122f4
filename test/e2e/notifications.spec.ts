import type * as amqp from 'amqplib';
import { makeBadge, makeIssuer, makePerson } from '../support/factories';
import {
  createTestVhost,
  eventually,
  type TestVhost,
  type TopicWatcher,
  watchTopic,
} from '../support/rabbitmq';
import { auth, createTestApp, type TestApp } from '../support/test-app';

/** Award notifications published to a real broker through the outbox. */
describe('notifications to the message bus', () => {
  let vhost: TestVhost;
  let t: TestApp;
  let watcher: TopicWatcher;
  const QUEUE = 'watcher';

  beforeAll(async () => {
    vhost = await createTestVhost();
    watcher = await watchTopic(vhost.url, QUEUE, 'org.fedoraproject.test.badges.#');
    t = await createTestApp({
      env: {
        AMQP_URL: vhost.url,
        ACCOLADES_TOPIC_PREFIX: 'org.fedoraproject.test',
        ACCOLADES_BASE_URL: 'https://badges.example.org',
      },
    });
    const issuer = await makeIssuer(t);
    await makeBadge(t, { name: 'Alpha', issuerId: issuer.id });
    await makeBadge(t, { name: 'Beta', issuerId: issuer.id });
    await makePerson(t, 'ralph');
    await makePerson(t, 'kevin');
  });

  afterAll(async () => {
    await t?.close();
    await watcher?.close();
    await vhost?.remove();
  });

  async function take(n: number): Promise<amqp.GetMessage[]> {
    const got: amqp.GetMessage[] = [];
    await eventually(async () => {
      const m = await watcher.get();
      if (m) got.push(m);
      return got.length >= n;
    }, `${n} notifications`);
    return got;
  }

  it('publishes the award and the rank advance, fedora-messaging style', async () => {
    await t
      .http()
      .post('/api/v1/assertions')
      .set(auth)
      .send({ badge_id: 'alpha', nickname: 'ralph' })
      .expect(201);
    const [award, rank] = await take(2);
    expect(award.fields.routingKey).toBe('org.fedoraproject.test.badges.badge.award');
    expect(JSON.parse(award.content.toString())).toEqual({
      badge: {
        name: 'Alpha',
        description: 'The Alpha badge',
        image_url: 'https://badges.example.org/pngs/alpha.png',
        badge_id: 'alpha',
      },
      user: { username: 'ralph', badges_user_id: expect.any(Number) },
    });
    expect(award.properties.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(award.properties.contentType).toBe('application/json');
    expect(award.properties.headers).toMatchObject({
      fedora_messaging_schema: 'tahrir.badge.award.v1',
      fedora_messaging_user_ralph: true,
      'sent-at': expect.stringMatching(/Z$/),
    });
    expect(rank.fields.routingKey).toBe('org.fedoraproject.test.badges.person.rank.advance');
    expect(JSON.parse(rank.content.toString())).toMatchObject({
      person: { nickname: 'ralph', rank: 1 },
      old_rank: null,
    });
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM outbox`);
    expect(n).toBe(0);
    // Each confirmed publication's delay since its transaction, on /metrics.
    const text = (await t.http().get('/metrics').expect(200)).text;
    expect(/^accolades_notification_delay_seconds_count (\d+)$/m.exec(text)?.[1]).toBe('2');
    expect(
      Number(/^accolades_notification_delay_seconds_sum (\S+)$/m.exec(text)?.[1]),
    ).toBeGreaterThan(0);
  });

  it('keeps awarding while the broker is away, and publishes everything when it is back', async () => {
    vhost.refuseClients();
    try {
      await t
        .http()
        .post('/api/v1/assertions')
        .set(auth)
        .send({ badge_id: 'beta', nickname: 'ralph' })
        .expect(201);
      await t
        .http()
        .post('/api/v1/assertions')
        .set(auth)
        .send({ badge_id: 'alpha', nickname: 'kevin' })
        .expect(201);
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM outbox`);
      expect(n).toBeGreaterThanOrEqual(2);
      // Counted when scraped.
      expect(await outboxBacklog()).toBe(n);
    } finally {
      vhost.welcomeClients();
    }
    await watcher.reconnect();
    const got = await take(3);
    const keys = got.map(
      (m) => `${m.fields.routingKey} ${JSON.parse(m.content.toString()).user?.username ?? ''}`,
    );
    expect(keys).toEqual(
      expect.arrayContaining([
        'org.fedoraproject.test.badges.badge.award ralph',
        'org.fedoraproject.test.badges.badge.award kevin',
      ]),
    );
    await eventually(
      async () => (await t.dataSource.query(`SELECT count(*)::int AS n FROM outbox`))[0].n === 0,
      'an empty outbox',
    );
    expect(await outboxBacklog()).toBe(0);
  });

  async function outboxBacklog(): Promise<number> {
    const text = (await t.http().get('/metrics').expect(200)).text;
    return Number(/^accolades_outbox_backlog_messages (\d+)$/m.exec(text)?.[1]);
  }
});
