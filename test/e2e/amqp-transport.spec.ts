import * as amqp from 'amqplib';
import { invalid } from '../../src/common/errors/domain-error';
import {
  AmqpIntakeTransport,
  type AmqpIntakeOptions,
} from '../../src/modules/intake/amqp/amqp-intake.transport';
import type { Delivery } from '../../src/modules/intake/amqp/delivery';
import {
  createTestVhost,
  eventually,
  publishFedoraMessage,
  type TestVhost,
} from '../support/rabbitmq';

/** The transport alone, on a real broker, with handlers written for each case. */
describe('AMQP intake transport', () => {
  let vhost: TestVhost;
  let conn: amqp.ChannelModel;
  let pub: amqp.ConfirmChannel;
  let transport: AmqpIntakeTransport | null = null;
  const EXCHANGE = 'fedora.test';

  beforeAll(async () => {
    vhost = await createTestVhost();
    conn = await amqp.connect(vhost.url);
    pub = await conn.createConfirmChannel();
    await pub.assertExchange(EXCHANGE, 'topic', { durable: true });
  });

  afterEach(async () => {
    await transport?.close();
    transport = null;
  });

  afterAll(async () => {
    await conn?.close().catch(() => undefined);
    await vhost?.remove();
  });

  let queueSeq = 0;
  async function start(
    handler: (d: Delivery) => Promise<void>,
    options: Partial<AmqpIntakeOptions> = {},
  ): Promise<{ t: AmqpIntakeTransport; queue: string; dlq: string }> {
    const queue = `intake-${++queueSeq}`;
    const t = new AmqpIntakeTransport({
      url: vhost.url,
      exchange: EXCHANGE,
      queue,
      bindingKeys: ['org.fedoraproject.#'],
      prefetch: 4,
      deadLetterQueue: `${queue}.dead`,
      maxAttempts: 3,
      isDatabaseReady: async () => true,
      ...options,
    });
    t.addHandler('#', handler, true);
    await new Promise<void>((resolve) => t.listen(() => resolve()));
    await eventually(() => t.currentState === 'consuming', 'the consumer to start');
    transport = t;
    return { t, queue, dlq: `${queue}.dead` };
  }

  const depth = async (queue: string) => (await pub.checkQueue(queue)).messageCount;

  it('hands each message to the handler with its topic, id, headers and body, then acks', async () => {
    const seen: Delivery[] = [];
    const { queue } = await start(async (d) => {
      seen.push(d);
    });
    await publishFedoraMessage(pub, EXCHANGE, {
      topic: 'org.fedoraproject.prod.bodhi.update.comment',
      id: 'msg-1',
      body: { comment: { user: { name: 'ralph' } } },
      headers: { fedora_messaging_user_ralph: true },
    });
    await publishFedoraMessage(pub, EXCHANGE, {
      topic: 'com.elsewhere.ignored',
      id: 'not-bound',
      body: {},
    });
    await eventually(() => seen.length === 1, 'the message');
    expect(seen[0]).toMatchObject({
      topic: 'org.fedoraproject.prod.bodhi.update.comment',
      messageId: 'msg-1',
      redelivered: false,
      attempts: 0,
      headers: expect.objectContaining({ fedora_messaging_user_ralph: true }),
    });
    expect(JSON.parse(seen[0].body.toString())).toEqual({ comment: { user: { name: 'ralph' } } });
    await eventually(async () => (await depth(queue)) === 0, 'the ack');
  });

  it('dead-letters a poison message with its reason and goes on with the stream', async () => {
    const done: string[] = [];
    const { dlq } = await start(async (d) => {
      if (d.messageId === 'poison') throw invalid('MESSAGE.INVALID', 'the body is not JSON');
      done.push(d.messageId!);
    });
    await publishFedoraMessage(pub, EXCHANGE, {
      topic: 'org.fedoraproject.prod.x',
      id: 'poison',
      body: '{nope',
    });
    await publishFedoraMessage(pub, EXCHANGE, {
      topic: 'org.fedoraproject.prod.x',
      id: 'after',
      body: {},
    });
    await eventually(() => done.includes('after'), 'the next message');
    const dead = await eventually(() => pub.get(dlq, { noAck: true }), 'the dead letter');
    expect(dead && dead.properties.messageId).toBe('poison');
    expect(dead && dead.properties.headers?.['x-accolades-reason']).toBe(
      'MESSAGE.INVALID: the body is not JSON',
    );
    expect(dead && dead.properties.headers?.['x-accolades-routing-key']).toBe(
      'org.fedoraproject.prod.x',
    );
    expect(dead && dead.content.toString()).toBe('{nope');
  });

  it('retries a failing message with an attempt count, then dead-letters it', async () => {
    const attempts = new Map<string, number[]>();
    const { queue, dlq } = await start(async (d) => {
      attempts.set(d.messageId!, [...(attempts.get(d.messageId!) ?? []), d.attempts]);
      if (d.messageId === 'flaky' && d.attempts < 2) throw new Error('transient');
      if (d.messageId === 'broken') throw new Error('always broken');
    });
    await publishFedoraMessage(pub, EXCHANGE, {
      topic: 'org.fedoraproject.prod.x',
      id: 'flaky',
      body: {},
    });
    await publishFedoraMessage(pub, EXCHANGE, {
      topic: 'org.fedoraproject.prod.x',
      id: 'broken',
      body: {},
    });
    await eventually(() => attempts.get('flaky')?.length === 3, 'three tries of the flaky message');
    expect(attempts.get('flaky')).toEqual([0, 1, 2]);
    const dead = await eventually(() => pub.get(dlq, { noAck: true }), 'the dead letter');
    expect(dead && dead.properties.messageId).toBe('broken');
    expect(dead && dead.properties.headers?.['x-accolades-reason']).toBe(
      'failed 3 times: Error: always broken',
    );
    expect(attempts.get('broken')).toEqual([0, 1, 2]);
    await eventually(async () => (await depth(queue)) === 0, 'an empty queue');
    expect(await depth(dlq)).toBe(0);
  });

  it('pauses while the database is away, loses nothing, and resumes by itself', async () => {
    let dbUp = false;
    const processed: string[] = [];
    const { t, queue } = await start(
      async (d) => {
        if (!dbUp)
          throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
            code: 'ECONNREFUSED',
          });
        processed.push(d.messageId!);
      },
      { isDatabaseReady: async () => dbUp },
    );
    for (let i = 0; i < 5; i++) {
      await publishFedoraMessage(pub, EXCHANGE, {
        topic: 'org.fedoraproject.prod.x',
        id: `m${i}`,
        body: {},
      });
    }
    await eventually(() => t.currentState === 'paused', 'the pause');
    await eventually(async () => (await depth(queue)) === 5, 'all five back in the queue');
    expect(processed).toEqual([]);
    dbUp = true;
    await eventually(
      () => processed.length === 5,
      'all five processed after the database returned',
    );
    expect(new Set(processed)).toEqual(new Set(['m0', 'm1', 'm2', 'm3', 'm4']));
    expect(t.currentState).toBe('consuming');
  });

  it('reconnects after the broker drops its connection and keeps consuming', async () => {
    const processed: string[] = [];
    const { t } = await start(async (d) => {
      processed.push(d.messageId!);
    });
    await publishFedoraMessage(pub, EXCHANGE, {
      topic: 'org.fedoraproject.prod.x',
      id: 'before',
      body: {},
    });
    await eventually(() => processed.includes('before'), 'the first message');
    vhost.dropConnections();
    // Our own publishing connection was closed too.
    conn = await amqp.connect(vhost.url);
    pub = await conn.createConfirmChannel();
    await eventually(
      () => t.currentState === 'consuming' && t.backlog().then((n) => n === 0),
      'the reconnection',
      30_000,
    );
    await publishFedoraMessage(pub, EXCHANGE, {
      topic: 'org.fedoraproject.prod.x',
      id: 'after',
      body: {},
    });
    await eventually(() => processed.includes('after'), 'a message after the reconnection', 30_000);
  });

  it('lets messages in flight finish before closing', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const finished: string[] = [];
    const { t, queue } = await start(async (d) => {
      await gate;
      finished.push(d.messageId!);
    });
    await publishFedoraMessage(pub, EXCHANGE, {
      topic: 'org.fedoraproject.prod.x',
      id: 'slow',
      body: {},
    });
    await eventually(async () => (await depth(queue)) === 0, 'the delivery');
    const closing = t.close();
    release();
    await closing;
    transport = null;
    expect(finished).toEqual(['slow']);
    expect(await depth(queue)).toBe(0);
  });
});
