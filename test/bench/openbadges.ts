/**
 * `npm run bench:openbadges`: latency of the Open Badges URLs under concurrent load: the
 * hosted assertion (JSON-LD), the baked image (PNG and SVG art) and the Open Badges 3.0
 * credential (VC-JWT), each over many different assertions.
 *
 * The service runs as its own process (`node dist/src/main.js`, as deployed) on a
 * PostgreSQL database seeded by test/bench/seed.ts (a smaller size than the API bench:
 * the paths measured are primary-key reads, the table size hardly matters); autocannon
 * loads it from this process. Half the badges get a real PNG from the sample Collection
 * (when shared/collection is beside the repository, else a generated one), half the demo
 * SVG art. Each scenario first requests every sampled URL once (cold: baking, first
 * signature), then measures. Options (environment): BENCH_CONNECTIONS (default 10),
 * BENCH_SECONDS (default 15 per scenario), BENCH_SAMPLE (assertions, default 2000),
 * BENCH_RESEED=1.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { createDataSource, migrate } from '../../src/database/data-source';
import { tinyPng } from '../support/art';
import { seedBenchData, type SeedSize } from './seed';

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = 'accolades_bench_openbadges';
const SIZE: SeedSize = { persons: 20_000, badges: 200, assertions: 200_000 };
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const SAMPLE = Number(process.env.BENCH_SAMPLE ?? 2000);
const ROOT = join(__dirname, '..', '..', '..');
const COLLECTION_PNG = join(ROOT, '..', 'shared', 'collection', 'pngs', 'apex.png');

function dbUrl(name: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

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
        if (r.rows[0].n === SIZE.persons) return;
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
  console.log(`Seeding ${SIZE.persons} persons and ~${SIZE.assertions} assertions...`);
  await seedBenchData(url, SIZE, () => undefined);
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    // Art that exists: the sample PNG for even badges, demo SVG art for odd ones.
    await db.query(`UPDATE badges SET image = CASE WHEN (substring(id from 7))::int % 2 = 0
                      THEN 'bench.png' ELSE 'hello-fedora.svg' END`);
  } finally {
    await db.end();
  }
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

async function startServer(env: Record<string, string>, base: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${base}/healthz/ready`);
      if (res.ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error('the service did not become ready within 60 s');
}

interface Figures {
  scenario: string;
  /** The machine's 1-minute load average when the scenario ended (others share it). */
  load: number;
  requests: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
}

async function load(
  base: string,
  scenario: string,
  paths: string[],
  accept: string,
  seconds: number,
): Promise<Figures> {
  let i = 0;
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { accept },
    requests: [
      {
        setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] }),
      },
    ],
  });
  return {
    scenario,
    load: loadavg()[0],
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors + result.non2xx,
  };
}

/** Requests every path once (cold: what the cache does not have yet). */
async function warm(base: string, paths: string[], accept: string): Promise<number> {
  const t0 = Date.now();
  for (let k = 0; k < paths.length; k += CONNECTIONS) {
    await Promise.all(
      paths.slice(k, k + CONNECTIONS).map(async (p) => {
        const res = await fetch(`${base}${p}`, { headers: { accept } });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`${p} answered ${res.status}`);
      }),
    );
  }
  return (Date.now() - t0) / paths.length;
}

async function main(): Promise<void> {
  const url = dbUrl(DB_NAME);
  await ensureSeeded(url);
  const art = mkdtempSync(join(tmpdir(), 'accolades-bench-art-'));
  if (existsSync(COLLECTION_PNG)) copyFileSync(COLLECTION_PNG, join(art, 'bench.png'));
  else writeFileSync(join(art, 'bench.png'), tinyPng());

  const db = new Client({ connectionString: url });
  await db.connect();
  const rows = (
    await db.query(
      `SELECT a.id, b.image FROM assertions a JOIN badges b ON b.id = a.badge_id
        ORDER BY md5(a.id) LIMIT $1`,
      [SAMPLE],
    )
  ).rows as { id: string; image: string }[];
  await db.end();
  const enc = (id: string) => encodeURIComponent(id);
  const assertions = rows.map((r) => `/openbadges/v2/assertions/${enc(r.id)}`);
  const pngs = rows
    .filter((r) => r.image.endsWith('.png'))
    .map((r) => `/openbadges/v2/assertions/${enc(r.id)}/image`);
  const svgs = rows
    .filter((r) => r.image.endsWith('.svg'))
    .map((r) => `/openbadges/v2/assertions/${enc(r.id)}/image`);
  const credentials = rows.map((r) => `/openbadges/v3/credentials/${enc(r.id)}`);

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = await startServer(
    {
      DATABASE_URL: url,
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      ACCOLADES_BASE_URL: base,
      ACCOLADES_ART_DIRS: art,
    },
    base,
  );
  const figures: Figures[] = [];
  const cold: Record<string, number> = {};
  try {
    const scenarios: [string, string[], string][] = [
      ['hosted assertion (JSON-LD)', assertions, 'application/ld+json'],
      ['baked image, PNG art', pngs, 'image/png'],
      ['baked image, SVG art', svgs, 'image/svg+xml'],
      ['OB 3.0 credential (VC-JWT)', credentials, 'application/vc+jwt'],
    ];
    for (const [name, paths, accept] of scenarios) {
      cold[name] = await warm(base, paths, accept);
      figures.push(await load(base, name, paths, accept, SECONDS));
    }
  } finally {
    server.kill('SIGTERM');
    rmSync(art, { recursive: true, force: true });
  }
  console.log(
    `\n${CONNECTIONS} connections, ${SECONDS} s per scenario, ${rows.length} different assertions ` +
      `(${pngs.length} PNG, ${svgs.length} SVG); latencies in ms\n`,
  );
  console.log(
    '| Scenario | Requests | Req/s | p50 | p90 | p99 | max | Errors | First request, mean | Load avg |',
  );
  console.log('| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: |');
  for (const f of figures) {
    console.log(
      `| ${f.scenario} | ${f.requests} | ${f.rps} | ${f.p50} | ${f.p90} | ${f.p99} | ${f.max} | ${f.errors} | ${cold[f.scenario].toFixed(1)} | ${f.load.toFixed(2)} |`,
    );
  }
  const worst = Math.max(...figures.map((f) => f.p99));
  console.log(`\nWorst p99: ${worst} ms (target: under 50 ms)`);
  if (figures.some((f) => f.errors > 0)) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
