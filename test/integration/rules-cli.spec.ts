import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { backfill, replay, validate } from '../../src/cli/commands/rules.command';
import { CliError } from '../../src/cli/exit-codes';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const SAMPLE = '/work/shared/collection/rules';
const P = 'org.fedoraproject.prod';

/** Datagrepper envelopes, as the replay and backfill commands read them. */
function envelope(i: number, topic: string, msg: unknown, users: string[]) {
  const headers: Record<string, boolean> = {};
  for (const u of users) headers[`fedora_messaging_user_${u}`] = true;
  return { topic: `${P}.${topic}`, msg, msg_id: `2024-${i}`, timestamp: 1704067200 + i, headers };
}

const bodhiComment = (i: number, author: string) =>
  envelope(i, 'bodhi.update.comment', { comment: { author, anonymous: false, karma: 0 } }, [
    author,
  ]);

/** Runs fn with the environment pointing local commands at this database. */
async function withDbEnv<T>(db: TestDatabase, fn: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, db.env, { LOG_LEVEL: 'error' });
  try {
    return await fn();
  } finally {
    process.env = saved;
  }
}

describe('accolades rules (local commands)', () => {
  let work: string;
  let db: TestDatabase;
  const logs: string[] = [];
  let spy: jest.SpyInstance;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'accolades-rules-cli-'));
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
    rmSync(work, { recursive: true, force: true });
  });
  beforeEach(() => {
    logs.length = 0;
    spy = jest.spyOn(console, 'log').mockImplementation((line: string) => void logs.push(line));
  });
  afterEach(() => spy.mockRestore());

  it('validate: reports per file (file, field, reason) and exits 1 when one is invalid', async () => {
    await validate(SAMPLE);
    expect(logs.at(-1)).toBe('98 files: 98 rules loaded, 0 invalid, 0 unsupported');

    const dir = join(work, 'broken');
    cpSync(SAMPLE, dir, { recursive: true });
    writeFileSync(
      join(dir, 'tester-01.yml'),
      readFileSync(join(SAMPLE, 'tester-01.yml'), 'utf8').replace('creator:', 'creater:'),
    );
    writeFileSync(
      join(dir, 'owner.yml'),
      readFileSync(join(SAMPLE, 'tester-02.yml'), 'utf8')
        .replace('Discovery of the Footprints', 'Package Owner')
        .replace(/criteria:[\s\S]*?recipient:/, 'criteria:\n  pkgdb:\n    owns: x\nrecipient:'),
    );
    logs.length = 0;
    await expect(validate(dir, { json: true })).rejects.toThrow(CliError);
    const report = JSON.parse(logs[0]) as {
      ok: boolean;
      loaded: number;
      errors: { file: string; field: string | null; reason: string; kind: string }[];
    };
    expect(report.ok).toBe(false);
    expect(report.loaded).toBe(97); // 99 files, one invalid, one unsupported
    expect(report.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'tester-01.yml', field: 'creater', kind: 'invalid' }),
        expect.objectContaining({ file: 'owner.yml', kind: 'unsupported' }),
      ]),
    );
  });

  it('replay: prints each award as a JSON line, duplicates and bad lines award nothing', async () => {
    const file = join(work, 'stream.jsonl');
    const lines = [
      ...[1, 2, 3, 4, 5].map((i) => JSON.stringify(bodhiComment(i, 'alice'))),
      JSON.stringify(bodhiComment(1, 'alice')), // the first one again
      '{"topic": "no id"}',
      JSON.stringify({
        topic: `${P}.fedbadges.person.login.first`,
        body: { user: { username: 'Dave' } },
        id: 'fm-1',
        headers: { 'sent-at': '2024-01-02T00:00:00Z', fedora_messaging_user_dave: true },
      }),
    ];
    writeFileSync(file, `${lines.join('\n')}\n`);
    const out: string[] = [];
    const opts = {
      rules: SAMPLE,
      messages: file,
      json: true,
      database: db.kind === 'postgres' ? db.url! : undefined,
    };
    const summary = await replay(opts, (l) => out.push(l));
    expect(out.slice(0, -1).map((l) => JSON.parse(l))).toEqual([
      {
        badge_id: 'in-search-of-the-bull-tester-i',
        badge_name: 'In Search of the Bull (Tester I)',
        user: 'alice',
        msg_id: '2024-1',
      },
      {
        badge_id: 'discovery-of-the-footprints-tester-ii',
        badge_name: 'Discovery of the Footprints (Tester II)',
        user: 'alice',
        msg_id: '2024-5',
      },
      { badge_id: 'baby-badger', badge_name: 'Baby Badger', user: 'dave', msg_id: 'fm-1' },
    ]);
    expect(summary).toMatchObject({ messages: 8, duplicates: 1, invalid: 1, awards: 3 });
    expect(JSON.parse(out.at(-1)!)).toEqual({ summary: expect.objectContaining({ awards: 3 }) });
  });

  it('backfill: loads history (JSON lines and datagrepper pages), skips duplicates, recomputes counters', async () => {
    const jsonl = join(work, 'history.jsonl');
    writeFileSync(
      jsonl,
      [10, 11, 12].map((i) => JSON.stringify(bodhiComment(i, 'bob'))).join('\n') + '\n',
    );
    const page = join(work, 'page.json');
    writeFileSync(
      page,
      JSON.stringify({
        raw_messages: [bodhiComment(12, 'bob'), bodhiComment(13, 'carol')],
        count: 2,
        pages: 1,
      }),
    );
    await withDbEnv(db, () =>
      backfill({ messages: [jsonl, page], json: true, database: db.url ?? undefined }),
    );
    const summary = JSON.parse(logs.at(-1)!) as Record<string, number>;
    expect(summary).toMatchObject({ read: 5, inserted: 4, duplicates: 1, invalid: 0 });
    if (db.kind === 'postgres') {
      // The replay above ran in this database and registered Tester I's counter.
      expect(summary.counters).toBeGreaterThan(0);
      // The counter kept for Tester I's filter counts bob's backfilled comments.
      const c = new Client({ connectionString: db.url! });
      await c.connect();
      try {
        const { rows } = await c.query(
          `SELECT c.count::int AS n FROM rule_counters c
            WHERE c.username = 'bob' AND c.filter_key LIKE '%bodhi.update.comment%'`,
        );
        expect(rows).toEqual([{ n: 3 }]);
      } finally {
        await c.end();
      }
    }
  });
});
