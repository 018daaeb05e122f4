/**
 * npm run bench:api
 *
 * Seeds 50,000 persons, 500 badges and about 1,000,000 assertions into a fresh PostgreSQL
 * database, starts the built service as its own process, and measures GET /leaderboard,
 * GET /users/{nickname} and GET /badges/{id} under concurrent load from this process.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freshDatabase } from './support/database';
import { load, type LoadResult, table } from './support/load';
import { startServer } from './support/server';
import { API_SIZE, seedBenchData } from './seed';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const DURATION = Number(process.env.BENCH_DURATION ?? 20);

async function main(): Promise<void> {
  const url = await freshDatabase('accolades_bench_api');
  const t0 = Date.now();
  await seedBenchData(url, API_SIZE, () => undefined);
  const seedSeconds = (Date.now() - t0) / 1000;
  const db = new Client({ connectionString: url });
  await db.connect();
  const counts = (
    await db.query(
      `SELECT (SELECT count(*) FROM persons)::int AS persons, (SELECT count(*) FROM badges)::int AS badges,
              (SELECT count(*) FROM assertions)::int AS assertions`,
    )
  ).rows[0];
  // Visible people only: opted-out ones answer 404 by design.
  const nicknames: string[] = (
    await db.query(`SELECT nickname FROM persons WHERE NOT opt_out ORDER BY id`)
  ).rows.map((r: { nickname: string }) => r.nickname);
  await db.end();
  console.log(
    `Seeded ${counts.persons} persons, ${counts.badges} badges, ${counts.assertions} assertions in ${seedSeconds.toFixed(1)} s`,
  );

  const logFile = join(tmpdir(), 'accolades-bench-api.log');
  const server = await startServer({ DATABASE_URL: url, LOG_LEVEL: 'info' }, logFile);
  const rnd = (n: number) => Math.floor(Math.random() * n);
  const families: [string, () => string][] = [
    ['GET /api/v1/leaderboard', () => '/api/v1/leaderboard?limit=25'],
    ['GET /api/v1/users/{nickname}', () => `/api/v1/users/${nicknames[rnd(nicknames.length)]}`],
    ['GET /api/v1/badges/{id}', () => `/api/v1/badges/badge-${1 + rnd(counts.badges)}`],
    ['GET /api/v1/leaderboard?period=week', () => '/api/v1/leaderboard?period=week&limit=25'],
    ['GET /api/v1/leaderboard?period=year', () => '/api/v1/leaderboard?period=year&limit=25'],
  ];
  const results: LoadResult[] = [];
  try {
    for (const [name, paths] of families) {
      await load({ name, url: server.url, paths, connections: CONNECTIONS, durationSeconds: 3 }); // warm-up
      const r = await load({
        name,
        url: server.url,
        paths,
        connections: CONNECTIONS,
        durationSeconds: DURATION,
      });
      results.push(r);
      console.log(`${name}: p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.rps} req/s, non-2xx ${r.non2xx}`);
    }
  } finally {
    await server.stop();
  }
  console.log(`\n${CONNECTIONS} connections, ${DURATION} s per endpoint, server log: ${logFile}\n`);
  console.log(table(results));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
