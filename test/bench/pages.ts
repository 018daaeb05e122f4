/**
 * `npm run bench:pages`: p50/p99 latency of the home, badge, profile and leaderboard pages
 * with 50,000 persons and about 1,000,000 assertions, under concurrent load.
 *
 * The database is seeded once (test/bench/seed.ts) and kept between runs; the service runs
 * as its own process (`node dist/src/main.js`, as deployed) and autocannon loads it from
 * this process. While pages are loaded, badges keep being awarded through the REST API
 * (BENCH_AWARDS_PER_SEC, default 0.2), so caches keyed on the database's change stamp are
 * invalidated as in production. Options (environment): BENCH_CONNECTIONS (default 10),
 * BENCH_SECONDS (default 15 per page), BENCH_RESEED=1 to rebuild the data;
 * ACCOLADES_PAGE_CACHE=0 measures without the page cache.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { createDataSource, migrate } from '../../src/database/data-source';
import { API_SIZE, seedBenchData } from './seed';

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = 'accolades_bench_pages';
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
// Fedora awards a few hundred badges a day; one every 5 s is about 60 times that.
const AWARDS_PER_SEC = Number(process.env.BENCH_AWARDS_PER_SEC ?? 0.2);
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const ROOT = join(__dirname, '..', '..', '..');

function dbUrl(name: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates, migrates and seeds the bench database unless it already holds the data. */
async function ensureSeeded(url: string): Promise<void> {
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME]);
    if (exists.rowCount && process.env.BENCH_RESEED !== '1') {
      const db = new Client({ connectionString: url });
      await db.connect();
      try {
        const r = await db
          .query(`SELECT count(*)::int AS n FROM persons`)
          .catch(() => ({ rows: [{ n: 0 }] }));
        if (r.rows[0].n === API_SIZE.persons) return;
      } finally {
        await db.end();
      }
    }
    await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${DB_NAME}`);
  } finally {
    await admin.end();
  }
  const ds = createDataSource({ url, poolSize: 2 });
  await ds.initialize();
  try {
    await migrate(ds, { lock: false });
  } finally {
    await ds.destroy();
  }
  console.log(`Seeding ${API_SIZE.persons} persons and ~${API_SIZE.assertions} assertions...`);
  const t0 = Date.now();
  await seedBenchData(url, API_SIZE);
  console.log(`Seeded in ${Math.round((Date.now() - t0) / 1000)} s`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function startServer(url: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      ACCOLADES_BASE_URL: `http://127.0.0.1:${port}`,
      ACCOLADES_ADMIN_TOKEN: ADMIN_TOKEN,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The service exited with ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz/ready`);
      if (res.ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  child.kill('SIGTERM');
  throw new Error('The service did not become ready within 60 s');
}

interface Figures {
  page: string;
  requests: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
}

/** Loads one page family, each request a path drawn from `paths` in turn. */
async function load(base: string, page: string, paths: string[]): Promise<Figures> {
  let i = 0;
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        setupRequest: (req) => {
          req.path = paths[i++ % paths.length];
          req.headers = { ...req.headers, accept: 'text/html' };
          return req;
        },
      },
    ],
  });
  return {
    page,
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

/** Awards random badges to random people through the API until stopped. */
function startAwarding(base: string, badges: string[], persons: number): () => Promise<number> {
  let stop = false;
  let awarded = 0;
  const loop = (async () => {
    while (!stop && AWARDS_PER_SEC > 0) {
      const badge = badges[Math.floor(Math.random() * badges.length)];
      const nickname = `user${1 + Math.floor(Math.random() * persons)}`;
      const res = await fetch(`${base}/api/v1/assertions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          badge_id: badge,
          nickname,
          issued_for: 'https://example.org/bench',
        }),
      });
      if (res.status === 201 || res.status === 200) awarded++;
      await new Promise((r) => setTimeout(r, 1000 / AWARDS_PER_SEC));
    }
  })();
  return async () => {
    stop = true;
    await loop;
    return awarded;
  };
}

async function main(): Promise<void> {
  const url = dbUrl(DB_NAME);
  await ensureSeeded(url);
  if (process.argv.includes('--seed-only')) return;

  // Paths spread over popular and rare badges, heavy and light collectors.
  const db = new Client({ connectionString: url });
  await db.connect();
  const badges = (await db.query(`SELECT id FROM badges ORDER BY holders_count DESC`)).rows.map(
    (r: { id: string }) => r.id,
  );
  const users = (
    await db.query(
      `(SELECT nickname FROM persons WHERE NOT opt_out ORDER BY badge_count DESC LIMIT 50)
       UNION ALL (SELECT nickname FROM persons WHERE NOT opt_out AND id % 997 = 0)`,
    )
  ).rows.map((r: { nickname: string }) => r.nickname);
  await db.end();
  const pick = <T>(xs: T[], n: number) => xs.filter((_, k) => k % Math.ceil(xs.length / n) === 0);

  const port = await freePort();
  const server = await startServer(url, port);
  const base = `http://127.0.0.1:${port}`;
  try {
    // Warm up (connection pool, JIT, caches) before measuring.
    await load(base, 'warm-up', ['/', '/leaderboard', `/badge/${badges[0]}`, `/user/${users[0]}`]);
    const now = new Date();
    const year = now.getUTCFullYear();
    const month = now.getUTCMonth() + 1;
    const suites: [string, string[]][] = [
      ['home /', ['/']],
      ['badge /badge/<id>', pick(badges, 100).map((b) => `/badge/${b}`)],
      ['profile /user/<nick>', pick(users, 100).map((u) => `/user/${u}`)],
      [
        'leaderboard /leaderboard (+ periods)',
        [
          '/leaderboard',
          '/leaderboard?period=year',
          '/leaderboard?period=month',
          '/leaderboard?period=week',
          '/leaderboard?period=day',
          `/report/${year}/${month}`,
        ],
      ],
    ];
    const stopAwarding = startAwarding(base, badges, API_SIZE.persons);
    const rows: Figures[] = [];
    for (const [name, paths] of suites) {
      const f = await load(base, name, paths);
      rows.push(f);
      console.log(
        `${name}: ${f.requests} requests, ${f.rps}/s, p50 ${f.p50} ms, p99 ${f.p99} ms, max ${f.max} ms, errors ${f.errors}, non-2xx ${f.non2xx}`,
      );
    }
    const awarded = await stopAwarding();
    const loadAvg = loadavg()[0].toFixed(1);
    console.log(
      `\n${CONNECTIONS} connections, ${SECONDS} s per page family, ${awarded} badges awarded meanwhile` +
        `, 1-minute load average at the end ${loadAvg}` +
        ` (page cache: ${process.env.ACCOLADES_PAGE_CACHE === '0' ? 'off' : 'on'})\n`,
    );
    console.log('| Page | Requests | Req/s | p50 ms | p90 ms | p99 ms | max ms | Errors |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const f of rows) {
      console.log(
        `| ${f.page} | ${f.requests} | ${f.rps} | ${f.p50} | ${f.p90} | ${f.p99} | ${f.max} | ${f.errors + f.non2xx} |`,
      );
    }
    const slow = rows.filter((f) => f.p99 >= 50 || f.errors + f.non2xx > 0);
    if (slow.length) {
      console.error(
        `\nOver budget (p99 >= 50 ms or errors): ${slow.map((f) => f.page).join(', ')}`,
      );
      process.exitCode = 1;
    }
  } finally {
    // Let the last in-flight requests finish before stopping the service.
    await new Promise((r) => setTimeout(r, 500));
    server.kill('SIGTERM');
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
