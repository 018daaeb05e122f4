/**
 * `npm run bench:import`: the Tahrir import at Fedora's size, on the local PostgreSQL.
 *
 * 1. A Tahrir database of 100,000 persons, 500 badges and about 1,000,000 awards
 *    (test/support/tahrir-source.ts, generated in SQL on the server; not timed).
 * 2. A fresh, migrated Accolades database.
 * 3. The full import, run as the command does it (`accolades import tahrir --json`, a
 *    process of its own), timed from the outside; then `accolades import verify`.
 * 4. Rounds of 1,000 changes in Tahrir (new awards and persons, edits, deletions, opt-out
 *    flips), each followed by a catch-up run, timed the same way, and a verification.
 * 5. Cold rounds: the same, but both databases leave the OS page cache before the
 *    catch-up (support/page-cache.ts; needs the server's data directory on this machine),
 *    the worst case of a machine that reclaims idle memory.
 *
 * Prints the figures and writes them to bench/results/. Environment: BENCH_PERSONS,
 * BENCH_BADGES, BENCH_ASSERTIONS, BENCH_ROUNDS (3), BENCH_COLD_ROUNDS (2),
 * BENCH_REUSE_SOURCE=1 (keep an existing source instead of generating it again),
 * TEST_POSTGRES_URL.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createDataSource, migrate } from '../../src/database/data-source';
import { PG_ADMIN_URL, requirePostgres, withDatabase } from '../support/services';
import { PageCache } from './support/page-cache';
import {
  applyChanges,
  createTahrirSource,
  type TahrirSize,
  THOUSAND_CHANGES,
} from '../support/tahrir-source';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const SOURCE_DB = 'tahrir_bench_import';
const TARGET_DB = 'accolades_bench_import';

const SIZE: TahrirSize = {
  persons: Number(process.env.BENCH_PERSONS ?? 100_000),
  badges: Number(process.env.BENCH_BADGES ?? 500),
  assertions: Number(process.env.BENCH_ASSERTIONS ?? 1_000_000),
};
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const COLD_ROUNDS = Number(process.env.BENCH_COLD_ROUNDS ?? 2);

interface Timed {
  wallMs: number;
  json: Record<string, unknown>;
}

/** Runs the command in its own process; the wall time includes start-up, as an operator sees it. */
function accolades(args: string[]): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0)
        return reject(new Error(`accolades ${args.join(' ')} exited ${code}: ${out}`));
      resolve({ wallMs, json: JSON.parse(out) });
    });
  });
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  await requirePostgres();
  const sourceUrl = withDatabase(PG_ADMIN_URL, SOURCE_DB);
  const targetUrl = withDatabase(PG_ADMIN_URL, TARGET_DB);
  const load = [loadavg()[0]];

  if (process.env.BENCH_REUSE_SOURCE !== '1') {
    console.log(`Generating the Tahrir database ${SOURCE_DB} (${JSON.stringify(SIZE)})...`);
    const t0 = Date.now();
    await createTahrirSource(SIZE, { name: SOURCE_DB, log: (l) => console.log(l) });
    console.log(`  generated in ${s(Date.now() - t0)}`);
  }
  const src = new Client({ connectionString: sourceUrl });
  await src.connect();
  const { rows } = await src.query(
    `SELECT (SELECT count(*) FROM persons)::int AS persons, (SELECT count(*) FROM badges)::int AS badges,
            (SELECT count(*) FROM assertions)::int AS assertions`,
  );
  await src.end();
  console.log(`Source: ${JSON.stringify(rows[0])}`);

  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TARGET_DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${TARGET_DB}`);
  await admin.end();
  const ds = createDataSource({ url: targetUrl, poolSize: 2 });
  await ds.initialize();
  await migrate(ds, { lock: false });
  await ds.destroy();

  const args = ['--from', sourceUrl, '--database', targetUrl, '--json'];
  console.log('Full import...');
  const full = await accolades(['import', 'tahrir', ...args]);
  const fullImport = full.json.import as { durationMs: number; totals: Record<string, number> };
  console.log(
    `  full import: ${s(full.wallMs)} wall (${s(fullImport.durationMs)} in the run), ${JSON.stringify(fullImport.totals)}`,
  );
  const verify1 = await accolades(['import', 'verify', ...args]);
  console.log(`  verify: ${s(verify1.wallMs)}, ok=${(verify1.json.verify as { ok: boolean }).ok}`);
  load.push(loadavg()[0]);

  const rounds: {
    changes: number;
    cold: boolean;
    wallMs: number;
    runMs: number;
    totals: unknown;
  }[] = [];
  const cache = COLD_ROUNDS > 0 ? await PageCache.open(PG_ADMIN_URL) : null;
  if (typeof cache === 'string') console.log(`  cold rounds left out: ${cache}`);
  const cold = cache instanceof PageCache ? COLD_ROUNDS : 0;
  // Fresh seeds on a reused source (the changes create rows named after their seed).
  const seedBase = process.env.BENCH_REUSE_SOURCE === '1' ? Date.now() % 1_000_000_000 : 1000;
  for (let round = 1; round <= ROUNDS + cold; round++) {
    const made = await applyChanges(sourceUrl, THOUSAND_CHANGES, seedBase + round);
    const isCold = round > ROUNDS;
    if (isCold) await (cache as PageCache).evict([SOURCE_DB, TARGET_DB]);
    const inc = await accolades(['import', 'tahrir', ...args]);
    const summary = inc.json.import as { durationMs: number; totals: Record<string, number> };
    rounds.push({
      changes: made.total,
      cold: isCold,
      wallMs: inc.wallMs,
      runMs: summary.durationMs,
      totals: summary.totals,
    });
    console.log(
      `  catch-up ${round}${isCold ? ' (cold cache)' : ''} after ${made.total} changes: ${s(inc.wallMs)} wall (${s(summary.durationMs)} in the run), ${JSON.stringify(summary.totals)}`,
    );
  }
  const verify2 = await accolades(['import', 'verify', ...args]);
  const ok = (verify2.json.verify as { ok: boolean }).ok;
  console.log(`  verify: ${s(verify2.wallMs)}, ok=${ok}`);
  load.push(loadavg()[0]);

  const result = {
    date: new Date().toISOString(),
    size: rows[0],
    full: {
      wallMs: Math.round(full.wallMs),
      runMs: fullImport.durationMs,
      totals: fullImport.totals,
    },
    verifyMs: [Math.round(verify1.wallMs), Math.round(verify2.wallMs)],
    rounds: rounds.map((r) => ({ ...r, wallMs: Math.round(r.wallMs) })),
    verified: ok,
    loadAverage1m: load.map((l) => Number(l.toFixed(2))),
  };
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `import-${result.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2));
  console.log(`\n${JSON.stringify(result, null, 2)}\nWritten to ${file}`);
  if (!ok) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
