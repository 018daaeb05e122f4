/**
 * `npm run bench:intake`: Fedora messages through RabbitMQ into the service, end to end.
 *
 * 1. Throughput: BENCH_MESSAGES (default 100,000) realistic messages for the sample
 *    Collection's topics are published to a durable queue while no consumer runs; then one
 *    (and, on a fresh database, two) service processes (`node dist/src/main.js`, as deployed,
 *    on PostgreSQL, with the 98 sample rules of ../shared/collection) drain it. Reported:
 *    messages per second from the first to the last commit.
 * 2. Award delay: one instance, messages published at BENCH_RATE (default 500) per second
 *    for BENCH_LATENCY_SECONDS (default 30). A queue bound to the award notifications
 *    receives each award after its transaction committed and the outbox published it; the
 *    delay is counted from the publication of the latest message concerning that user, so it
 *    is an upper bound of "publish to award committed" (it includes the outbox hop).
 */
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as amqp from 'amqplib';
import { Client } from 'pg';
import { freshDatabase } from './support/database';
import { type FedoraMessageJson, fedoraMessages } from './support/fedora-messages';
import { type RunningServer, startServer } from './support/server';

const ROOT = join(__dirname, '..', '..', '..');
const RULES = process.env.BENCH_RULES_DIR ?? join(ROOT, '..', 'shared', 'collection', 'rules');
const AMQP = process.env.BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 100_000);
const USERS = Number(process.env.BENCH_USERS ?? 5_000);
const RATE = Number(process.env.BENCH_RATE ?? 500);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 30);
// Unset: the service's defaults (AMQP_PREFETCH, ACCOLADES_INTAKE_BATCH).
const TUNING: Record<string, string> = {
  ...(process.env.BENCH_PREFETCH ? { AMQP_PREFETCH: process.env.BENCH_PREFETCH } : {}),
  ...(process.env.BENCH_BATCH ? { ACCOLADES_INTAKE_BATCH: process.env.BENCH_BATCH } : {}),
};
const EXCHANGE = 'accolades.bench';
const logs = mkdtempSync(join(tmpdir(), 'accolades-bench-intake-'));

function publishOne(ch: amqp.ConfirmChannel, m: FedoraMessageJson): boolean {
  return ch.publish(EXCHANGE, m.topic, Buffer.from(JSON.stringify(m.body)), {
    messageId: m.id,
    contentType: 'application/json',
    deliveryMode: 2,
    headers: { ...m.headers, 'sent-at': new Date().toISOString() },
  });
}

async function setupBroker(ch: amqp.ConfirmChannel, queue: string): Promise<void> {
  await ch.assertExchange(EXCHANGE, 'topic', { durable: true });
  await ch.deleteQueue(queue).catch(() => undefined);
  await ch.deleteQueue(`${queue}.dead-letter`).catch(() => undefined);
  await ch.assertQueue(queue, { durable: true });
  await ch.bindQueue(queue, EXCHANGE, 'org.fedoraproject.prod.#');
}

function serverEnv(db: string, queue: string): Record<string, string> {
  return {
    DATABASE_URL: db,
    AMQP_URL: AMQP,
    AMQP_EXCHANGE: EXCHANGE,
    AMQP_QUEUE: queue,
    AMQP_BINDING_KEYS: 'org.fedoraproject.prod.#',
    ...TUNING,
    ACCOLADES_RULES_DIR: RULES,
    ACCOLADES_ADMIN_TOKEN: 'bench-admin-token-0123456789',
    LOG_LEVEL: 'warn',
  };
}

async function count(db: string, sql: string): Promise<number> {
  const c = new Client({ connectionString: db });
  await c.connect();
  try {
    return Number((await c.query(sql)).rows[0].n);
  } finally {
    await c.end();
  }
}

/** Publishes `count` messages into the queue before any consumer starts. */
async function preload(ch: amqp.ConfirmChannel, n: number, idPrefix: string): Promise<void> {
  let i = 0;
  for (const m of fedoraMessages({ count: n, users: USERS, idPrefix })) {
    if (!publishOne(ch, m)) await new Promise((r) => ch.once('drain', r));
    if (++i % 5_000 === 0) await ch.waitForConfirms();
  }
  await ch.waitForConfirms();
}

async function throughput(conn: amqp.ChannelModel, instances: number) {
  const ch = await conn.createConfirmChannel();
  const queue = `bench-intake-${instances}`;
  await setupBroker(ch, queue);
  const db = await freshDatabase(`accolades_bench_intake_${instances}`);
  const prefix = `tp${instances}-`;
  process.stdout.write(`  publishing ${MESSAGES} messages...`);
  await preload(ch, MESSAGES, prefix);
  process.stdout.write(' done\n');
  const servers: RunningServer[] = [];
  const started = Date.now();
  for (let i = 0; i < instances; i++) {
    servers.push(await startServer(serverEnv(db, queue), join(logs, `tp${instances}-${i}.log`)));
  }
  const sql = `SELECT count(*) AS n FROM messages WHERE id LIKE '${prefix}%'`;
  let done = 0;
  while (done < MESSAGES) {
    await new Promise((r) => setTimeout(r, 1_000));
    done = await count(db, sql);
    process.stdout.write(`\r  ${instances} instance(s): ${done}/${MESSAGES}`);
  }
  process.stdout.write('\n');
  // First and last commit, from the history itself (not from polling granularity).
  const c = new Client({ connectionString: db });
  await c.connect();
  const { rows } = await c.query(
    `SELECT extract(epoch FROM max(received_at) - min(received_at)) AS span,
            (SELECT count(*) FROM assertions) AS awards
       FROM messages WHERE id LIKE '${prefix}%'`,
  );
  await c.end();
  for (const s of servers) await s.stop();
  const span = Number(rows[0].span);
  return {
    instances,
    seconds: span,
    perSecond: MESSAGES / span,
    wallSeconds: (Date.now() - started) / 1000,
    awards: Number(rows[0].awards),
  };
}

async function awardDelay(conn: amqp.ChannelModel) {
  const ch = await conn.createConfirmChannel();
  const queue = 'bench-intake-latency';
  await setupBroker(ch, queue);
  const watch = await ch.assertQueue('', { exclusive: true });
  await ch.bindQueue(watch.queue, EXCHANGE, 'org.fedoraproject.prod.badges.badge.award');
  const db = await freshDatabase('accolades_bench_intake_latency');
  const server = await startServer(serverEnv(db, queue), join(logs, 'latency.log'));
  const lastSeen = new Map<string, number>();
  const delays: number[] = [];
  await ch.consume(
    watch.queue,
    (msg) => {
      if (!msg) return;
      const user = (JSON.parse(msg.content.toString()) as { user: { username: string } }).user
        .username;
      const at = lastSeen.get(user);
      if (at !== undefined) delays.push(performance.now() - at);
    },
    { noAck: true },
  );
  const total = RATE * LATENCY_SECONDS;
  const gen = fedoraMessages({ count: total, users: USERS * 4, seed: 7, idPrefix: 'lat-' });
  const t0 = performance.now();
  let sent = 0;
  for (const m of gen) {
    const due = t0 + (sent * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    for (const key of Object.keys(m.headers)) {
      const u = /^fedora_messaging_user_(.+)$/.exec(key)?.[1];
      if (u) lastSeen.set(u, performance.now());
    }
    publishOne(ch, m);
    sent++;
  }
  const achieved = sent / ((performance.now() - t0) / 1000);
  await new Promise((r) => setTimeout(r, 3_000));
  await server.stop();
  delays.sort((a, b) => a - b);
  const q = (p: number) => delays[Math.min(delays.length - 1, Math.floor(p * delays.length))];
  return { rate: achieved, awards: delays.length, p50: q(0.5), p99: q(0.99), max: delays.at(-1) };
}

async function main(): Promise<void> {
  console.log(
    `bench:intake — ${cpus().length} cores, load ${loadavg()[0].toFixed(2)}, rules ${RULES}, logs ${logs}`,
  );
  const conn = await amqp.connect(AMQP);
  const rows = [];
  for (const n of [1, 2]) rows.push(await throughput(conn, n));
  console.log('\nThroughput (queue preloaded, drained by N service processes):');
  console.log('| instances | messages | seconds | messages/s | awards |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const r of rows) {
    console.log(
      `| ${r.instances} | ${MESSAGES} | ${r.seconds.toFixed(1)} | ${Math.round(r.perSecond)} | ${r.awards} |`,
    );
  }
  const lat = await awardDelay(conn);
  console.log(
    `\nAward delay at ${Math.round(lat.rate)} messages/s (${LATENCY_SECONDS} s, one instance):`,
  );
  console.log(
    `awards ${lat.awards}, p50 ${lat.p50?.toFixed(1)} ms, p99 ${lat.p99?.toFixed(1)} ms, max ${lat.max?.toFixed(1)} ms`,
  );
  await conn.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
