import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as amqp from 'amqplib';
import * as lockfile from 'proper-lockfile';
import { AMQP_TEST_URL, START_RABBITMQ } from './services';

/** Fails loudly, naming the command to run, when RabbitMQ is not reachable. */
export async function requireRabbitMQ(url = AMQP_TEST_URL): Promise<void> {
  try {
    const c = await amqp.connect(url);
    await c.close();
  } catch (err) {
    throw new Error(
      `These tests need RabbitMQ at ${url}, which did not answer (${(err as Error).message}).\n` +
        `Start it with: ${START_RABBITMQ}\nor point TEST_AMQP_URL at a broker.`,
    );
  }
}

/**
 * Runs a rabbitmqctl command. Another test file may be restarting the broker (restartBroker)
 * at this moment: then wait until it is up again and run the command once more.
 */
function rabbitmqctl(...args: string[]): string {
  const run = (a: string[]) =>
    execFileSync('rabbitmqctl', ['-q', ...a], { encoding: 'utf8', timeout: 60_000 });
  try {
    return run(args);
  } catch (err) {
    if (!/requires the 'rabbit' app to be running|nodedown|not running/i.test(String(err)))
      throw err;
    for (let i = 0; i < 30; i++) {
      try {
        run(['await_startup']);
        return run(args);
      } catch {
        execFileSync('sleep', ['1']);
      }
    }
    return run(args);
  }
}

export interface TestVhost {
  name: string;
  url: string;
  /** Closes every client connection of this vhost, as a broker restart would. */
  dropConnections(): void;
  /** The broker is "away" for this vhost: connections closed and refused until welcomeClients(). */
  refuseClients(): void;
  welcomeClients(): void;
  remove(): Promise<void>;
}

/** A virtual host of its own, so parallel test files never see each other's queues. */
export async function createTestVhost(): Promise<TestVhost> {
  await requireRabbitMQ();
  const name = `accolades_test_${randomBytes(4).toString('hex')}`;
  rabbitmqctl('add_vhost', name);
  rabbitmqctl('set_permissions', '-p', name, 'guest', '.*', '.*', '.*');
  const base = new URL(AMQP_TEST_URL);
  base.pathname = `/${encodeURIComponent(name)}`;
  return {
    name,
    url: base.toString(),
    dropConnections: () => {
      rabbitmqctl('close_all_connections', '-p', name, 'closed by the test');
    },
    refuseClients: () => {
      rabbitmqctl('clear_permissions', '-p', name, 'guest');
      rabbitmqctl('close_all_connections', '-p', name, 'broker away (test)');
    },
    welcomeClients: () => {
      rabbitmqctl('set_permissions', '-p', name, 'guest', '.*', '.*', '.*');
    },
    remove: async () => {
      rabbitmqctl('delete_vhost', name);
    },
  };
}

/**
 * Restarts the whole broker (stop_app / start_app). Holds a machine-wide lock so test
 * files that restart the broker never overlap; files that only use their own vhost see a
 * connection loss, which the code under test must survive anyway.
 */
export async function restartBroker(): Promise<void> {
  const dir = join(__dirname, '..', '..', '.accolades-test');
  mkdirSync(dir, { recursive: true });
  const release = await lockfile.lock(dir, {
    lockfilePath: join(dir, 'broker.lock'),
    retries: { retries: 60, minTimeout: 1000 },
  });
  try {
    rabbitmqctl('stop_app');
    rabbitmqctl('start_app');
    rabbitmqctl('await_startup');
  } finally {
    await release();
  }
}

/** A test's own queue on amq.topic, read message by message. */
export interface TopicWatcher {
  /** The next message, or false when none waits (or the watcher had to connect again). */
  get(): Promise<amqp.GetMessage | false>;
  /** Connects again (after the test made the broker go away itself). */
  reconnect(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Binds a queue of the test's to amq.topic on a vhost. The queue is durable and the
 * watcher connects again when its channel is gone: another test file may restart the
 * whole broker meanwhile (restartBroker), which closes every connection and deletes
 * transient queues with their messages.
 */
export async function watchTopic(
  url: string,
  queue: string,
  bindingKey: string,
): Promise<TopicWatcher> {
  let conn: amqp.ChannelModel | undefined;
  let ch: amqp.Channel;
  const reconnect = async () => {
    await conn?.close().catch(() => undefined);
    conn = await amqp.connect(url);
    conn.on('error', () => undefined);
    ch = await conn.createChannel();
    ch.on('error', () => undefined);
    await ch.assertQueue(queue, { durable: true });
    await ch.bindQueue(queue, 'amq.topic', bindingKey);
  };
  await reconnect();
  return {
    get: () =>
      ch.get(queue, { noAck: true }).catch(async () => {
        await reconnect();
        return false as const;
      }),
    reconnect,
    close: async () => {
      await conn?.close().catch(() => undefined);
    },
  };
}

/** Publishes like fedora-messaging: topic exchange, routing key = topic, JSON body. */
export async function publishFedoraMessage(
  ch: amqp.ConfirmChannel,
  exchange: string,
  msg: { topic: string; body: unknown; id?: string; headers?: Record<string, unknown> },
): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    ch.publish(
      exchange,
      msg.topic,
      Buffer.from(typeof msg.body === 'string' ? msg.body : JSON.stringify(msg.body)),
      {
        contentType: 'application/json',
        contentEncoding: 'utf-8',
        messageId: msg.id,
        deliveryMode: 2,
        headers: {
          fedora_messaging_schema: 'base.message',
          'sent-at': new Date().toISOString(),
          ...msg.headers,
        },
      },
      (err) => (err ? reject(err) : resolve()),
    ),
  );
}

/** Waits until `fn` returns a truthy value (polling), or fails with `what`. */
export async function eventually<T>(
  fn: () => Promise<T> | T,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
