/**
 * `npm run bench:intake`: Fedora messages through RabbitMQ into the service, end to end.
 *
 * Measured on a fresh database, where many messages earn somebody a first badge, and in a
 * steady state: after BENCH_WARMUP (default 100,000; 0: none) earlier messages of the same
 * people were drained untimed, so that fewer messages award anything.
 *
 * 1. Throughput: BENCH_MESSAGES (default 100,000) realistic messages for the sample
 *    Collection's topics are published to a durable queue while no consumer runs; then
 *    service processes (`node dist/src/main.js`, as deployed, on PostgreSQL, with the 98
 *    sample rules of ../shared/collection) drain it: one and two on a fresh database
 *    (BENCH_INSTANCES, default 1,2), one in the steady state. Reported: messages per second
 *    from the first to the last commit.
 * 2. Award delay: one instance, messages published at BENCH_RATE (default 500) per second
 *    for BENCH_LATENCY_SECONDS (default 30; 0 skips it), from BENCH_LATENCY_USERS people
 *    (default four times BENCH_USERS). A queue bound to the award
 *    notifications receives each award after its transaction committed and the outbox
 *    published it; the delay is counted from the publication of the latest message
 *    concerning that user, so it is an upper bound of "publish to award committed" (it
 *    includes the outbox hop). The run ends when every message was judged.
 */
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as amqp from 'amqplib';
import { Client } from 'pg';
import { freshDatabase } from './support/database';
import { bucketsOf, bucketsSince, describeSeconds } from './support/histograms';
import { type FedoraMessageJson, fedoraMessages } from './support/fedora-messages';
import { type RunningServer, startServer } from './support/server';

const ROOT = join(__dirname, '..', '..', '..');
const RULES = process.env.BENCH_RULES_DIR ?? join(ROOT, '..', 'shared', 'collection', 'rules');
const AMQP = process.env.BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 100_000);
const USERS = Number(process.env.BENCH_USERS ?? 5_000);
const RATE = Number(process.env.BENCH_RATE ?? 500);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 30);
// Earlier messages of the same people drained before the steady-state runs (0: none).
const WARMUP = Number(process.env.BENCH_WARMUP ?? 100_000);
// BENCH_FRESH_LATENCY=0: the award delay in the steady state only (after the warm-up).
const FRESH_LATENCY = process.env.BENCH_FRESH_LATENCY !== '0';
const INSTANCES = (process.env.BENCH_INSTANCES ?? '1,2').split(',').filter(Boolean).map(Number);
// Unset: the service's defaults (AMQP_PREFETCH, ACCOLADES_INTAKE_BATCH).
const TUNING: Record<string, string> = {
  ...(process.env.BENCH_PREFETCH ? { AMQP_PREFETCH: process.env.BENCH_PREFETCH } : {}),
  ...(process.env.BENCH_BATCH ? { ACCOLADES_INTAKE_BATCH: process.env.BENCH_BATCH } : {}),
};
const EXCHANGE = 'accolades.bench';
// The first seconds of an award-delay run, left out of its "p99 after" column.
const SETTLING_MS = 5_000;
// Printed after an award-delay run, from the service's /metrics.
const SERVICE_HISTOGRAMS = [
  ['receipt to commit', 'accolades_message_processing_seconds'],
  ['one transaction', 'accolades_intake_batch_seconds'],
  ['transaction start to notification published', 'accolades_notification_delay_seconds'],
] as const;
const logs = mkdtempSync(join(tmpdir(), 'accolades-bench-intake-'));

function publishOne(ch: amqp.ConfirmChannel, m: FedoraMessageJson): boolean {
  return ch.publish(EXCHANGE, m.topic, Buffer.from(JSON.stringify(m.body)), {
    messageId: m.id,
    contentType: 'application/json',
    deliveryMode: 2,
    headers: { ...m.headers, 'sent-at': new Date().toISOString() },
  });
}

/**
 * Deletes a run's queues: left bound to the exchange, they would keep receiving copies of
 * every later run's messages (and the services' notifications), loading the broker.
 */
async function removeQueues(ch: amqp.ConfirmChannel, queue: string): Promise<void> {
  await ch.deleteQueue(queue).catch(() => undefined);
  await ch.deleteQueue(`${queue}.dead-letter`).catch(() => undefined);
}

/** Waits until the service took every message of the queue (notifications fed back too). */
async function queueEmpty(ch: amqp.ConfirmChannel, queue: string): Promise<void> {
  while ((await ch.checkQueue(queue)).messageCount > 0)
    await new Promise((r) => setTimeout(r, 500));
}

async function setupBroker(ch: amqp.ConfirmChannel, queue: string): Promise<void> {
  await ch.assertExchange(EXCHANGE, 'topic', { durable: true });
  await removeQueues(ch, queue);
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

/** One statement on its own connection; its rows. */
async function query(db: string, sql: string): Promise<Record<string, unknown>[]> {
  const c = new Client({ connectionString: db });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

async function count(db: string, sql: string): Promise<number> {
  return Number((await query(db, sql))[0].n);
}

/** Publishes `count` messages into the queue before any consumer starts. */
async function preload(
  ch: amqp.ConfirmChannel,
  n: number,
  idPrefix: string,
  { seed = 42, users = USERS } = {},
): Promise<void> {
  let i = 0;
  for (const m of fedoraMessages({ count: n, users, idPrefix, seed })) {
    if (!publishOne(ch, m)) await new Promise((r) => ch.once('drain', r));
    if (++i % 5_000 === 0) await ch.waitForConfirms();
  }
  await ch.waitForConfirms();
}

/**
 * VACUUM ANALYZE after a warm-up, as autovacuum would have done on a production server
 * by then: the PostgreSQL of the machine these figures come from runs with autovacuum
 * off, and without statistics the planner reads every row of a counter key to find one.
 */
async function vacuumAnalyze(db: string): Promise<void> {
  await query(db, 'VACUUM ANALYZE');
}

/** Waits until `n` messages of the run are in the history; fails if none arrive for a minute. */
async function drained(db: string, prefix: string, n: number, label: string): Promise<void> {
  const sql = `SELECT count(*) AS n FROM messages WHERE id LIKE '${prefix}%'`;
  let done = 0;
  let movedAt = Date.now();
  while (done < n) {
    await new Promise((r) => setTimeout(r, 1_000));
    const now = await count(db, sql);
    if (now !== done) movedAt = Date.now();
    done = now;
    process.stdout.write(`\r  ${label}: ${done}/${n}`);
    if (Date.now() - movedAt > 60_000)
      throw new Error(
        `${label}: stuck at ${done} of ${n} messages for a minute (lost? see ${logs})`,
      );
  }
  process.stdout.write('\n');
}

/**
 * N processes drain MESSAGES preloaded messages. With `warmup`, the same people's earlier
 * messages (another WARMUP) were drained first, untimed: the steady state of a service that
 * has been running, where most messages award nothing, rather than a fresh database where
 * every first message earns a first badge.
 */
async function throughput(conn: amqp.ChannelModel, instances: number, warmup: number) {
  const ch = await conn.createConfirmChannel();
  const name = `${instances}${warmup ? 'w' : ''}`;
  const queue = `bench-intake-${name}`;
  await setupBroker(ch, queue);
  const db = await freshDatabase(`accolades_bench_intake_${name}`);
  const start = async (tag: string) => {
    const servers: RunningServer[] = [];
    for (let i = 0; i < instances; i++)
      servers.push(await startServer(serverEnv(db, queue), join(logs, `${tag}-${i}.log`)));
    return servers;
  };
  if (warmup) {
    process.stdout.write(`  warm-up: publishing ${warmup} messages...`);
    await preload(ch, warmup, `warm${name}-`, { seed: 11 });
    process.stdout.write(' done\n');
    const servers = await start(`warm${name}`);
    await drained(db, `warm${name}-`, warmup, 'warm-up');
    await queueEmpty(ch, queue);
    for (const s of servers) await s.stop();
    await vacuumAnalyze(db);
  }
  const prefix = `tp${name}-`;
  const awardsBefore = await count(db, 'SELECT count(*) AS n FROM assertions');
  process.stdout.write(`  publishing ${MESSAGES} messages...`);
  await preload(ch, MESSAGES, prefix);
  process.stdout.write(' done\n');
  const started = Date.now();
  const servers = await start(`tp${name}`);
  await drained(db, prefix, MESSAGES, `${instances} instance(s)`);
  // First and last commit, from the history itself (not from polling granularity).
  const span = await count(
    db,
    `SELECT extract(epoch FROM max(received_at) - min(received_at)) AS n
       FROM messages WHERE id LIKE '${prefix}%'`,
  );
  const awards = (await count(db, 'SELECT count(*) AS n FROM assertions')) - awardsBefore;
  for (const s of servers) await s.stop();
  await removeQueues(ch, queue);
  return {
    instances,
    warmup,
    seconds: span,
    perSecond: MESSAGES / span,
    wallSeconds: (Date.now() - started) / 1000,
    awards,
  };
}

/**
 * One instance; messages published at RATE for LATENCY_SECONDS (to USERS * 4 people), after
 * `warmup` earlier messages of the same people were drained (untimed), if any.
 */
async function awardDelay(conn: amqp.ChannelModel, warmup: number) {
  const ch = await conn.createConfirmChannel();
  const name = `latency${warmup ? 'w' : ''}`;
  const queue = `bench-intake-${name}`;
  await setupBroker(ch, queue);
  // Four times the throughput runs' people by default: most messages are then a person's
  // first of a kind and earn a badge (a harsh stream); BENCH_LATENCY_USERS sets it.
  const users = Number(process.env.BENCH_LATENCY_USERS ?? USERS * 4);
  const db = await freshDatabase(`accolades_bench_intake_${name}`);
  if (warmup) {
    process.stdout.write(`  warm-up: publishing ${warmup} messages...`);
    await preload(ch, warmup, `warm${name}-`, { seed: 12, users });
    process.stdout.write(' done\n');
  }
  const server = await startServer(serverEnv(db, queue), join(logs, `${name}.log`));
  if (warmup) {
    await drained(db, `warm${name}-`, warmup, 'warm-up');
    await queueEmpty(ch, queue);
    await vacuumAnalyze(db);
  }
  const watch = await ch.assertQueue('', { exclusive: true });
  await ch.bindQueue(watch.queue, EXCHANGE, 'org.fedoraproject.prod.badges.badge.award');
  const lastSeen = new Map<string, number>();
  // Each award's delay, and when it arrived (to tell the first seconds from the rest).
  const delays: Array<{ ms: number; arrived: number }> = [];
  await ch.consume(
    watch.queue,
    (msg) => {
      if (!msg) return;
      const user = (JSON.parse(msg.content.toString()) as { user: { username: string } }).user
        .username;
      const at = lastSeen.get(user);
      const now = performance.now();
      if (at !== undefined) delays.push({ ms: now - at, arrived: now });
    },
    { noAck: true },
  );
  const before = await (await fetch(`${server.url}/metrics`)).text();
  const total = RATE * LATENCY_SECONDS;
  const prefix = `lat${warmup ? 'w' : ''}-`;
  const gen = fedoraMessages({ count: total, users, seed: 7, idPrefix: prefix });
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
  // Every message judged, and its awards' notifications published.
  await drained(db, prefix, total, 'latency run');
  await new Promise((r) => setTimeout(r, 2_000));
  // The service's own view of the same messages: how much of the delay is inside it.
  const after = await (await fetch(`${server.url}/metrics`)).text();
  for (const [label, name] of SERVICE_HISTOGRAMS)
    console.log(
      `  ${state(warmup)}, service, ${label}: ${describeSeconds(bucketsSince(bucketsOf(after, name), bucketsOf(before, name)))}`,
    );
  await server.stop();
  await removeQueues(ch, queue);
  const sorted = (ds: typeof delays) => ds.map((d) => d.ms).sort((a, b) => a - b);
  const q = (ms: number[], p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))];
  const all = sorted(delays);
  // A process started cold (the fresh runs) compiles its code paths during the first
  // seconds; the p99 of what arrived after them is the service's running state.
  const later = sorted(delays.filter((d) => d.arrived - t0 > SETTLING_MS));
  return {
    warmup,
    rate: achieved,
    awards: all.length,
    p50: q(all, 0.5),
    p99: q(all, 0.99),
    max: all.at(-1),
    p99Later: q(later, 0.99),
  };
}

async function main(): Promise<void> {
  console.log(
    `bench:intake — ${cpus().length} cores, load ${loadavg()[0].toFixed(2)}, rules ${RULES}, logs ${logs}`,
  );
  const conn = await amqp.connect(AMQP);
  const rows = [];
  for (const n of INSTANCES) rows.push(await throughput(conn, n, 0));
  // The steady state with one process only: on one 2-core machine a second adds no capacity.
  if (WARMUP > 0 && INSTANCES.length) rows.push(await throughput(conn, 1, WARMUP));
  console.log('\nThroughput (queue preloaded, drained by N service processes):');
  console.log('| database | instances | messages | seconds | messages/s | awards |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    console.log(
      `| ${state(r.warmup)} | ${r.instances} | ${MESSAGES} | ${r.seconds.toFixed(1)} | ${Math.round(r.perSecond)} | ${r.awards} |`,
    );
  }
  if (LATENCY_SECONDS > 0) {
    const lats = [];
    if (FRESH_LATENCY) lats.push(await awardDelay(conn, 0));
    if (WARMUP > 0) lats.push(await awardDelay(conn, WARMUP));
    console.log(`\nAward delay, one instance, ${LATENCY_SECONDS} s of messages at a fixed rate:`);
    console.log(
      `| database | messages/s | awards | p50 ms | p99 ms | max ms | p99 ms after ${SETTLING_MS / 1000} s |`,
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    for (const l of lats)
      console.log(
        `| ${state(l.warmup)} | ${Math.round(l.rate)} | ${l.awards} | ${l.p50?.toFixed(1)} | ${l.p99?.toFixed(1)} | ${l.max?.toFixed(1)} | ${l.p99Later?.toFixed(1)} |`,
      );
  }
  await conn.close();
}

const state = (warmup: number) => (warmup ? `after ${warmup} messages` : 'fresh');

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
