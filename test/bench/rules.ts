/**
 * `npm run bench:rules`: messages through the 98 sample rules, on PostgreSQL and on the
 * embedded PGlite, with growing history.
 *
 * For each database and each history size (BENCH_HISTORY, default 10000,100000,1000000):
 * the history is backfilled up to that size (older messages, not timed), then
 * BENCH_MESSAGES (default 100000) new messages are processed as the replay command does
 * (RulesService.processBatch, BENCH_BATCH messages per transaction, default 500 like the
 * intake's and the replay's ACCOLADES_INTAKE_BATCH), timed. Messages come from
 * test/bench/support/fedora-messages.ts (the sample Collection's topics, BENCH_USERS
 * people, default 3000). BENCH_DATABASES=postgres,pglite picks the databases.
 * Prints msg/s and the cost per message, and writes bench/results/rules.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { Logger } from '@nestjs/common';
import { AppModule } from '../../src/app.module';
import { validateEnv } from '../../src/config/env.schema';
import type { BusMessage } from '../../src/modules/rules/engine';
import { RulesService } from '../../src/modules/rules/rules.service';
import { freshDatabase } from './support/database';
import { fedoraMessages } from './support/fedora-messages';

const ROOT = join(__dirname, '..', '..', '..');
const RULES = process.env.BENCH_RULES ?? '/work/shared/collection/rules';
const HISTORY = (process.env.BENCH_HISTORY ?? '10000,100000,1000000').split(',').map(Number);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 100_000);
const USERS = Number(process.env.BENCH_USERS ?? 3_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const DATABASES = (process.env.BENCH_DATABASES ?? 'postgres,pglite').split(',');

interface Row {
  database: string;
  history: number;
  messages: number;
  seconds: number;
  perSecond: number;
  msPerMessage: number;
  awards: number;
  ruleErrors: number;
}

/** Parsed bench messages, `sent-at` spread one second apart from `start`. */
function* messages(count: number, seed: number, prefix: string, start: number) {
  let i = 0;
  for (const m of fedoraMessages({ count, users: USERS, seed, idPrefix: prefix })) {
    m.headers['sent-at'] = new Date(start + 1000 * i++).toISOString();
    yield m;
  }
}

async function runOn(database: string): Promise<Row[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'accolades-bench-rules-'));
  const url = database === 'postgres' ? await freshDatabase('accolades_bench_rules') : '';
  const env = validateEnv({
    ...process.env,
    DATABASE_URL: url,
    ACCOLADES_DATA_DIR: dataDir,
    ACCOLADES_RULES_DIR: RULES,
    ACCOLADES_RULES_RELOAD_SECONDS: '0',
    AMQP_URL: '',
    LOG_LEVEL: 'error',
  });
  Logger.overrideLogger(['error']);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(env), {
    logger: ['error'],
  });
  const rules = app.get(RulesService);
  const rows: Row[] = [];
  try {
    let stored = 0;
    // History: old messages (2020 onwards), loaded in bulk.
    const historyStart = Date.UTC(2020, 0, 1);
    for (const [level, size] of HISTORY.entries()) {
      if (size > stored) {
        const t0 = Date.now();
        const parsed = function* () {
          for (const m of messages(
            size - stored,
            1000 + level,
            `hist${level}-`,
            historyStart + stored * 1000,
          ))
            yield rules.parse(m);
        };
        const r = await rules.backfill(parsed());
        stored += r.inserted;
        console.log(
          `${database}: history ${stored.toLocaleString('en-US')} (backfill ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
        );
      }
      const t0 = process.hrtime.bigint();
      let awards = 0;
      let ruleErrors = 0;
      let batch: BusMessage[] = [];
      const flush = async () => {
        for (const r of await rules.processBatch(batch)) {
          if (r.status !== 'processed') continue;
          awards += r.awards.length;
          ruleErrors += r.ruleErrors.length;
        }
        batch = [];
      };
      const liveStart = Date.UTC(2025, 0, 1) + level * 86_400_000 * 30;
      for (const m of messages(MESSAGES, 7 + level, `live${level}-`, liveStart)) {
        batch.push(rules.parse(m));
        if (batch.length >= BATCH) await flush();
      }
      if (batch.length) await flush();
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const row: Row = {
        database,
        history: stored,
        messages: MESSAGES,
        seconds: Math.round(seconds * 10) / 10,
        perSecond: Math.round(MESSAGES / seconds),
        msPerMessage: Math.round((seconds * 1000 * 1000) / MESSAGES) / 1000,
        awards,
        ruleErrors,
      };
      rows.push(row);
      console.log(JSON.stringify(row));
      stored += MESSAGES;
    }
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  for (const db of DATABASES) rows.push(...(await runOn(db)));
  console.log('\ndatabase  history     messages  msg/s   ms/msg  awards');
  for (const r of rows)
    console.log(
      `${r.database.padEnd(9)} ${String(r.history).padEnd(11)} ${String(r.messages).padEnd(9)} ${String(r.perSecond).padEnd(7)} ${String(r.msPerMessage).padEnd(7)} ${r.awards}`,
    );
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'rules.json'),
    JSON.stringify({ at: new Date().toISOString(), load: loadavg(), rows }, null, 2),
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
