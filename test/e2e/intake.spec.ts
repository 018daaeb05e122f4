import { join } from 'node:path';
import * as amqp from 'amqplib';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import {
  createTestVhost,
  eventually,
  publishFedoraMessage,
  restartBroker,
  type TestVhost,
} from '../support/rabbitmq';
import { auth, createTestApp, type TestApp } from '../support/test-app';
import { PG_ADMIN_URL } from '../support/services';

const DEMO_RULES = join(__dirname, '..', '..', 'src', 'demo', 'collection', 'rules');
const COMMENT = 'org.fedoraproject.prod.bodhi.update.comment';

/** A Bodhi comment by `user`, as fedora-messaging publishes it. */
function comment(id: string, user: string) {
  return {
    topic: COMMENT,
    id,
    body: { comment: { user: { name: user }, text: 'works for me', karma: 1 } },
    headers: { [`fedora_messaging_user_${user}`]: true },
  };
}

/**
 * The AMQP intake end to end: real RabbitMQ (a vhost of its own), real PostgreSQL, the
 * demo Collection's rules, the whole service as main.ts starts it.
 */
describe('message intake over AMQP', () => {
  let vhost: TestVhost;
  let db: TestDatabase;
  let conn: amqp.ChannelModel;
  let pub: amqp.ConfirmChannel;
  const apps: TestApp[] = [];
  const QUEUE = 'accolades-intake';
  const DLQ = `${QUEUE}.dead-letter`;

  async function startApp(env: Record<string, string> = {}): Promise<TestApp> {
    const t = await createTestApp({
      db,
      env: {
        AMQP_URL: vhost.url,
        AMQP_QUEUE: QUEUE,
        AMQP_PREFETCH: '8',
        ACCOLADES_RULES_DIR: DEMO_RULES,
        ...env,
      },
    });
    apps.push(t);
    return t;
  }

  beforeAll(async () => {
    vhost = await createTestVhost();
    db = await createTestDatabase('postgres');
    conn = await amqp.connect(vhost.url);
    pub = await conn.createConfirmChannel();
    // The queue exists before anything is published, as in production.
    await pub.assertQueue(QUEUE, { durable: true });
    await pub.bindQueue(QUEUE, 'amq.topic', '#');
  });

  afterAll(async () => {
    for (const t of apps.splice(0)) await t.close().catch(() => undefined);
    await conn?.close().catch(() => undefined);
    await vhost?.remove();
    await db?.drop();
  });

  const app = () => apps[0];
  const sql = <T = Record<string, unknown>>(q: string, params: unknown[] = []) =>
    app().dataSource.query(q, params) as Promise<T[]>;
  const holders = async (badge: string) =>
    (
      await sql<{ nickname: string }>(
        `SELECT p.nickname FROM assertions a JOIN persons p ON p.id = a.person_id
         WHERE a.badge_id = $1 ORDER BY p.nickname`,
        [badge],
      )
    ).map((r) => r.nickname);
  const historyCount = async (where = 'true', params: unknown[] = []) =>
    Number(
      (await sql<{ n: string }>(`SELECT count(*) AS n FROM messages WHERE ${where}`, params))[0].n,
    );
  const depth = async (queue: string) => (await pub.checkQueue(queue)).messageCount;
  const publish = (m: Parameters<typeof publishFedoraMessage>[2]) =>
    publishFedoraMessage(pub, 'amq.topic', m);

  beforeAll(async () => {
    await startApp();
  });

  it('awards from a real bus message and acks it only after the commit', async () => {
    await publish(comment('intake-1', 'ralph'));
    await eventually(
      async () => (await holders('first-steps-tester')).includes('ralph'),
      'the award',
    );
    await eventually(async () => (await depth(QUEUE)) === 0, 'the queue to drain');
    expect(await historyCount('id = $1', ['intake-1'])).toBe(1);
  });

  it('awards nothing twice for a redelivered or duplicated message id', async () => {
    for (let i = 0; i < 4; i++) await publish(comment(`dup-${i}`, 'kevin'));
    // The fourth comment again, three times: the history keeps one, the count stays at 4.
    for (let i = 0; i < 3; i++) await publish(comment('dup-3', 'kevin'));
    await eventually(
      async () => (await depth(QUEUE)) === 0 && (await historyCount(`id LIKE 'dup-%'`)) === 4,
      'all four',
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(await historyCount(`id LIKE 'dup-%'`)).toBe(4);
    // Steady Tester needs 5 comments: the duplicates did not count.
    expect(await holders('steady-tester')).not.toContain('kevin');
    await publish(comment('dup-4', 'kevin'));
    await eventually(
      async () => (await holders('steady-tester')).includes('kevin'),
      'the 5th comment award',
    );
    const metrics = await app().http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/accolades_messages_duplicate_total (\d+)/);
    expect(
      Number(/accolades_messages_duplicate_total (\d+)/.exec(metrics.text)![1]),
    ).toBeGreaterThanOrEqual(3);
  });

  it('sends a message it cannot parse to the dead-letter queue with the reason, and goes on', async () => {
    await publish({ topic: COMMENT, id: 'poison-1', body: '{not json' });
    await publish({ topic: COMMENT, id: 'poison-2', body: { comment: 'no user' }, headers: {} });
    await publish(comment('after-poison', 'lmacken'));
    await eventually(
      async () => (await holders('first-steps-tester')).includes('lmacken'),
      'the next award',
    );
    const dead = await eventually(async () => pub.get(DLQ, { noAck: true }), 'the dead letter');
    expect(dead && dead.properties.messageId).toBe('poison-1');
    expect(String(dead && dead.properties.headers?.['x-accolades-reason'])).toMatch(
      /MESSAGE.INVALID.*not JSON/,
    );
    expect(await historyCount('id = $1', ['poison-1'])).toBe(0);
  });

  it('processes messages arriving together in one batch, and a message the database refuses fails alone', async () => {
    // PostgreSQL refuses \u0000 in jsonb: this message fails its batch when stored.
    const refused = {
      topic: COMMENT,
      id: 'refused-nul',
      body: { comment: { user: { name: 'nul' }, text: 'a\u0000b', karma: 1 } },
      headers: { fedora_messaging_user_nul: true },
    };
    const mates = ['batch-a', 'batch-b', 'batch-c', 'batch-d', 'batch-e'];
    await Promise.all([
      ...mates.slice(0, 2).map((u) => publish(comment(`mate-${u}`, u))),
      publish(refused),
      ...mates.slice(2).map((u) => publish(comment(`mate-${u}`, u))),
    ]);
    await eventually(async () => (await historyCount(`id LIKE 'mate-%'`)) === 5, 'the batch-mates');
    const awarded = await holders('first-steps-tester');
    for (const u of mates) expect(awarded).toContain(u);
    // They arrived together: at least one transaction held several of them.
    const metrics = (await app().http().get('/metrics').expect(200)).text;
    const single = Number(
      /accolades_intake_batch_messages_bucket\{le="1"\} (\d+)/.exec(metrics)![1],
    );
    const all = Number(/accolades_intake_batch_messages_count (\d+)/.exec(metrics)![1]);
    expect(all).toBeGreaterThan(single);
    // Retried on its own until the attempts run out, then dead-lettered with the reason.
    const dead = await eventually(async () => {
      const m = await pub.get(DLQ, { noAck: true });
      return m && m.properties.messageId === 'refused-nul' ? m : null;
    }, 'the refused message in the dead-letter queue');
    expect(String(dead?.properties.headers?.['x-accolades-reason'])).toMatch(
      /failed 5 times: .*(unsupported Unicode escape sequence|\\u0000)/,
    );
    expect(await historyCount('id = $1', ['refused-nul'])).toBe(0);
  });

  it('reports the consumer state and lag on /healthz/ready and counts on /metrics', async () => {
    const ready = await app().http().get('/healthz/ready').expect(200);
    expect(ready.body.checks.intake).toMatchObject({ ok: true, state: 'consuming', queue: QUEUE });
    expect(typeof ready.body.checks.intake.lag).toBe('number');
    const metrics = (await app().http().get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/accolades_messages_acked_total [1-9]/);
    expect(metrics).toMatch(/accolades_messages_dead_lettered_total [1-9]/);
    expect(metrics).toMatch(/accolades_awards_total\{source="rules"\} [1-9]/);
    expect(metrics).toMatch(/accolades_message_processing_seconds_count\{?[^ ]*\}? [1-9]/);
    // One observation per transaction: as many as batches, fewer than messages.
    const transactions = Number(/^accolades_intake_batch_seconds_count (\d+)$/m.exec(metrics)?.[1]);
    expect(transactions).toBe(
      Number(/^accolades_intake_batch_messages_count (\d+)$/m.exec(metrics)?.[1]),
    );
    expect(transactions).toBeGreaterThan(0);
  });

  it('takes the same messages over HTTP (admin token), with the same dedup', async () => {
    const body = {
      topic: COMMENT,
      id: 'http-1',
      body: comment('x', 'decause').body,
      headers: { fedora_messaging_user_decause: true },
    };
    await app().http().post('/api/v1/messages').send(body).expect(401);
    const first = await app().http().post('/api/v1/messages').set(auth).send(body).expect(200);
    expect(first.body).toMatchObject({
      status: 'processed',
      awards: expect.arrayContaining([
        expect.objectContaining({
          badge_id: 'first-steps-tester',
          user: 'decause',
          msg_id: 'http-1',
        }),
      ]),
    });
    const again = await app().http().post('/api/v1/messages').set(auth).send(body).expect(200);
    expect(again.body).toEqual({ status: 'duplicate', awards: [], rule_errors: [] });
    const bad = await app()
      .http()
      .post('/api/v1/messages')
      .set(auth)
      .send({ topic: COMMENT })
      .expect(400);
    expect(bad.body.code).toBe('MESSAGE.INVALID');
  });

  it('pauses while the database refuses connections and loses nothing when it returns', async () => {
    const name = new URL(db.url!).pathname.slice(1);
    const admin = new Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [name],
      );
      for (let i = 0; i < 6; i++) await publish(comment(`outage-${i}`, 'outage'));
      const metricsUrl = () => app().http().get('/metrics');
      await eventually(
        async () => /accolades_intake_pauses_total [1-9]/.test((await metricsUrl()).text),
        'the intake to pause',
      );
      expect(await depth(QUEUE)).toBeGreaterThan(0);
    } finally {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    await eventually(
      async () => (await historyCount(`id LIKE 'outage-%'`)) === 6,
      'all six after the outage',
      30_000,
    );
    await eventually(
      async () => (await holders('steady-tester')).includes('outage'),
      'the award after the outage',
    );
    expect(await historyCount(`id LIKE 'outage-%'`)).toBe(6);
    const held = await sql<{ n: string }>(
      `SELECT count(*) AS n FROM assertions a JOIN persons p ON p.id = a.person_id WHERE p.nickname = 'outage'`,
    );
    expect(Number(held[0].n)).toBe(2); // first-steps-tester and steady-tester, once each
  });

  it('survives a broker restart: consumes again without a restart of its own', async () => {
    await publish(comment('before-restart', 'restarted'));
    await restartBroker();
    const again = await amqp.connect(vhost.url);
    const ch = await again.createConfirmChannel();
    try {
      await publishFedoraMessage(ch, 'amq.topic', comment('after-restart', 'restarted'));
      await eventually(
        async () => (await historyCount(`id IN ('before-restart', 'after-restart')`)) === 2,
        'both messages',
        60_000,
      );
      expect(await holders('first-steps-tester')).toContain('restarted');
    } finally {
      await again.close().catch(() => undefined);
    }
    conn = await amqp.connect(vhost.url);
    pub = await conn.createConfirmChannel();
  });

  it('shares one queue between two replicas: no double award, no lost count', async () => {
    const second = await startApp();
    await eventually(
      async () =>
        (await second.http().get('/healthz/ready')).body.checks?.intake?.state === 'consuming',
      'the second consumer',
    );
    const users = Array.from({ length: 20 }, (_, i) => `replica${i}`);
    // 10 comments each, interleaved: Steady Tester (5) is crossed once per user, by whichever replica.
    for (let n = 0; n < 10; n++) for (const u of users) await publish(comment(`rep-${u}-${n}`, u));
    await eventually(
      async () => (await historyCount(`id LIKE 'rep-%'`)) === 200,
      'all 200 messages',
      60_000,
    );
    await eventually(async () => (await depth(QUEUE)) === 0, 'the queue to drain');
    const steady = (await holders('steady-tester')).filter((u) => u.startsWith('replica'));
    expect(steady).toEqual([...users].sort());
    const perUser = await sql<{ nickname: string; n: string }>(
      `SELECT p.nickname, count(*) AS n FROM assertions a JOIN persons p ON p.id = a.person_id
       WHERE p.nickname LIKE 'replica%' GROUP BY p.nickname`,
    );
    // first-steps-tester and steady-tester: exactly two each, never three.
    expect(perUser.every((r) => Number(r.n) === 2)).toBe(true);
    expect(perUser).toHaveLength(20);
    const acked = async (t: TestApp) =>
      Number(
        /accolades_messages_acked_total (\d+)/.exec((await t.http().get('/metrics')).text)?.[1] ??
          0,
      );
    // Both replicas took part (the broker spreads deliveries between consumers).
    expect(await acked(second)).toBeGreaterThan(0);
  });

  it('judges a backlog waiting at start-up with the rules loaded, badges included', async () => {
    // A queue of its own, filled while no replica consumes it (a restart after an outage).
    const backlog = 'accolades-backlog';
    await pub.assertQueue(backlog, { durable: true });
    await pub.bindQueue(backlog, 'amq.topic', COMMENT);
    for (let i = 0; i < 30; i++) await publish(comment(`backlog-${i}`, `waiting${i}`));
    const fresh = await createTestDatabase('postgres');
    const t = await createTestApp({
      db: fresh,
      env: { AMQP_URL: vhost.url, AMQP_QUEUE: backlog, ACCOLADES_RULES_DIR: DEMO_RULES },
    });
    try {
      const awarded = async () =>
        Number(
          (
            await t.dataSource.query(
              `SELECT count(*) AS n FROM assertions WHERE badge_id = 'first-steps-tester'`,
            )
          )[0].n,
        );
      await eventually(async () => (await awarded()) === 30, 'the 30 first awards');
      const failures = /accolades_rule_errors_total\{[^}]*\} (\d+)/.exec(
        (await t.http().get('/metrics')).text,
      );
      expect(failures).toBeNull();
    } finally {
      await t.close();
      await fresh.drop();
    }
  });
});
