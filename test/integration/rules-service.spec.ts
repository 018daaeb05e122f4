import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError } from '../../src/common/errors/domain-error';
import { ProgressService } from '../../src/modules/awards/progress.service';
import { BadgesService } from '../../src/modules/badges/badges.service';
import { LocalIdentities } from '../../src/modules/rules/identities/identities';
import { HistoryStore } from '../../src/modules/rules/history/history.store';
import { CounterRegistry } from '../../src/modules/rules/history/counter-registry';
import type { HistoryFilter } from '../../src/modules/rules/engine';
import { type Award, RulesService } from '../../src/modules/rules/rules.service';
import { createTestApp, type TestApp } from '../support/test-app';

const SAMPLE = '/work/shared/collection/rules';
const P = 'org.fedoraproject.prod';

/** A badge for collecting two badges: exercises award messages going through the rules. */
const COLLECTOR = `
name: Two of a Kind
description: Received two badges.
creator: tests
discussion: https://example.org/two-of-a-kind
image_url: https://badges.example.org/pngs/two-of-a-kind.png
issuer_id: fedora-project
trigger:
  topic: fedbadges.badge.award
criteria:
  datanommer:
    filter:
      topics: ['%(topic)s']
      users: ['%(msg.user.username)s']
    operation: count
    condition:
      greater than or equal to: 2
recipient: '%(msg.user.username)s'
`;

let seq = 0;
/** A fedora-messaging JSON message, as the intake and the replay command receive them. */
function fm(topic: string, body: unknown, users: string[], id = `msg-${++seq}`) {
  const headers: Record<string, unknown> = {
    'sent-at': new Date(Date.UTC(2024, 0, 1, 0, seq)).toISOString(),
  };
  for (const u of users) headers[`fedora_messaging_user_${u}`] = true;
  return { topic: `${P}.${topic}`, body, id, headers };
}

const comment = (author: string | undefined, extra: Record<string, unknown> = {}) =>
  fm(
    'bodhi.update.comment',
    // Through JSON, as from the bus: no author key at all when there is none.
    JSON.parse(
      JSON.stringify({
        comment: { author, anonymous: false, karma: 0, text: 'ok', ...extra },
        agent: author,
      }),
    ),
    author ? [author.toLowerCase()] : [],
  );

/** A FASJSON stand-in: /v1/search/users/ over a few known nicknames. */
function fakeFasjson(known: Record<string, string>) {
  const calls: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    calls.push(url.pathname + url.search);
    const nick = url.searchParams.get('ircnick');
    const username = url.pathname === '/v1/search/users/' && nick ? known[nick] : undefined;
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        result: username ? [{ username }] : [],
        page: { total_results: username ? 1 : 0, page_size: 1, page_number: 1, total_pages: 1 },
      }),
    );
  });
  return { server, calls };
}

describe('RulesService over the sample Collection', () => {
  let t: TestApp;
  let rules: RulesService;
  let dir: string;
  const fas = fakeFasjson({ 'matrix:/hana': 'hanna' });

  beforeAll(async () => {
    await new Promise<void>((ok) => fas.server.listen(0, '127.0.0.1', ok));
    const port = (fas.server.address() as AddressInfo).port;
    dir = mkdtempSync(join(tmpdir(), 'accolades-rules-'));
    cpSync(SAMPLE, dir, { recursive: true });
    writeFileSync(join(dir, 'two-of-a-kind.yml'), COLLECTOR);
    t = await createTestApp({
      env: {
        ACCOLADES_RULES_DIR: dir,
        ACCOLADES_RULES_RELOAD_SECONDS: '0',
        ACCOLADES_AWARD_TOPIC: 'fedbadges.badge.award',
        ACCOLADES_FASJSON_URL: `http://127.0.0.1:${port}`,
        ACCOLADES_BANNED_USERS: 'robot, zuul',
      },
    });
    rules = t.get(RulesService);
  });
  afterAll(async () => {
    await t.close();
    fas.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (input: unknown) => rules.process(rules.parse(input));
  const awardsOf = (r: Awaited<ReturnType<typeof run>>): Award[] =>
    r.status === 'processed' ? r.awards : [];
  const short = (a: Award[]) => a.map((x) => `${x.badgeName} -> ${x.user}`).sort();

  it('loads every sample rule but the pkgdb one, and keeps their badges', async () => {
    const status = (await rules.reload()).errors;
    // pkgdb-old-yeller listens to pkgdb messages but counts with datanommer: it loads.
    expect(status).toEqual([]);
    expect(rules.rules).toHaveLength(99); // 98 sample rules + the collector
    const badge = await t.get(BadgesService).get('in-search-of-the-bull-tester-i');
    expect(badge).toMatchObject({
      name: 'In Search of the Bull (Tester I)',
      image: 'tester-01.png',
      criteria: 'https://github.com/oddshocks/badges/pull/8',
    });
    expect(badge.description).toContain('Tested and added karma to 1 updates-testing');
  });

  it('replays a golden stream: thresholds, lower-casing, badges for badges, no award twice', async () => {
    const got: string[] = [];
    const first = comment('alice');
    got.push(...short(awardsOf(await run(first))));
    for (let i = 0; i < 3; i++) got.push(...short(awardsOf(await run(comment('alice')))));
    expect(got).toEqual(['In Search of the Bull (Tester I) -> alice']);
    // The 5th comment crosses Tester II's threshold (counts include it), and the second
    // award's message crosses the collector's.
    const fifth = awardsOf(await run(comment('alice')));
    expect(short(fifth)).toEqual([
      'Discovery of the Footprints (Tester II) -> alice',
      'Two of a Kind -> alice',
    ]);
    const collector = fifth.find((a) => a.badgeName === 'Two of a Kind')!;
    expect(collector.msgId).not.toBe(fifth[0].msgId); // awarded on the award's message

    // Lower-cased recipient; an anonymous comment; a banned account; the same message again.
    expect(short(awardsOf(await run(comment('Carol'))))).toEqual([
      'In Search of the Bull (Tester I) -> carol',
    ]);
    expect(
      awardsOf(await run(fm('bodhi.update.comment', { comment: { author: 'bob' } }, ['bob']))),
    ).toEqual([]);
    expect(awardsOf(await run(comment('robot')))).toEqual([]);
    expect(await run(first)).toEqual({ status: 'duplicate' });

    // A missing key makes the rules that need it award nothing, and says so.
    const missing = await run(comment(undefined));
    expect(missing).toMatchObject({ status: 'processed', awards: [] });
    expect(missing.status === 'processed' && missing.ruleErrors.length).toBeGreaterThan(0);

    // First login; karma to someone else's update (a lambda operation over history rows).
    expect(
      short(
        awardsOf(
          await run(fm('fedbadges.person.login.first', { user: { username: 'dave' } }, ['dave'])),
        ),
      ),
    ).toEqual(['Baby Badger -> dave']);
    expect(
      short(awardsOf(await run(comment('erin', { karma: 1, update_submitter: 'frank' })))),
    ).toEqual([
      'In Search of the Bull (Tester I) -> erin',
      'What goes around comes around (Karma I) -> frank',
    ]);

    const [row] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM assertions a JOIN persons p ON p.id = a.person_id
        WHERE p.nickname = 'alice'`,
    );
    expect(row.n).toBe(3);
  });

  it('maps dict recipients through the identity sources (local table, FASJSON, unchanged)', async () => {
    await t.get(LocalIdentities).set('nick', 'gusirc', 'gus');
    const meeting = fm(
      'meetbot.meeting.complete',
      { channel: '#fedora-townhall-public', attendees: { gusirc: 3, hana: 1, ivan: 2 } },
      [],
    );
    expect(short(awardsOf(await run(meeting)))).toEqual([
      'Civic Duty -> gus',
      'Civic Duty -> hanna',
      'Civic Duty -> ivan',
    ]);
    const searches = fas.calls.length;
    expect(fas.calls).toContain(
      '/v1/search/users/?ircnick=matrix%3A%2Fhana&page_size=1&page_number=1',
    );
    // A second meeting: the answers come from the cache.
    const again = fm(
      'meetbot.meeting.complete',
      { channel: '#fedora-townhall-public', attendees: { hana: 1, ivan: 2, jo: 1 } },
      [],
    );
    await run(again);
    expect(fas.calls.length - searches).toBe(2); // jo, as matrix:/ then irc:/
  });

  it('keeps counters equal to SQL counts for every filter the rules used', async () => {
    const filters: { filter_key: string; filter: HistoryFilter }[] = await t.dataSource.query(
      `SELECT filter_key, filter FROM rule_counter_filters WHERE ready`,
    );
    expect(filters.length).toBeGreaterThan(1);
    const counters: { filter_key: string; username: string; count: string }[] =
      await t.dataSource.query(`SELECT * FROM rule_counters`);
    const store = new HistoryStore(t.dataSource.manager, new CounterRegistry(t.dataSource));
    for (const c of counters) {
      const f = filters.find((x) => x.filter_key === c.filter_key)!.filter;
      expect(await store.sqlCount({ ...f, users: [c.username] })).toBe(Number(c.count));
    }
  });

  it('dry-runs a rule over stored history without writing anything', async () => {
    // A new badge (nobody holds it yet): Tester II with a threshold of 2.
    const text = readFileSync(join(SAMPLE, 'tester-02.yml'), 'utf8')
      .replace('greater than or equal to: 5', 'greater than or equal to: 2')
      .replace('Discovery of the Footprints', 'Two Footprints');
    const before = await t.dataSource.query(`SELECT count(*)::int AS n FROM assertions`);
    const result = await rules.dryRun(text, new Date('2000-01-01T00:00:00Z'));
    expect(result.awards.map((a) => a.user)).toEqual(['alice']);
    expect(result.awards[0].trace.length).toBeGreaterThan(0);
    expect(result.scanned).toBeGreaterThan(10);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM assertions`)).toEqual(before);
    await expect(rules.dryRun('name: [', new Date())).rejects.toMatchObject({
      code: 'RULE.INVALID',
    });
  });

  it('refuses what is not a message with MESSAGE.INVALID', () => {
    expect(() => rules.parse({ topic: 'x' })).toThrow(DomainError);
    expect(() => rules.parse('nope')).toThrow(expect.objectContaining({ code: 'MESSAGE.INVALID' }));
  });

  it('retries a message whose award met a database error, never commits it half-way', async () => {
    // The first person created as "unlucky" fails as a deadlock between two replicas does
    // (a sequence counts the attempts: it is not rolled back with them). That aborts the
    // transaction: taken for a rule's failure, the message would be "committed" by a
    // COMMIT that PostgreSQL turns into a rollback, acked and lost.
    const ds = t.dataSource;
    await ds.query(`CREATE SEQUENCE unlucky_attempts`);
    await ds.query(`CREATE FUNCTION unlucky_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.nickname = 'unlucky' AND nextval('unlucky_attempts') = 1 THEN
          RAISE EXCEPTION 'deadlock detected' USING ERRCODE = '40P01';
        END IF;
        RETURN NEW;
      END $$`);
    await ds.query(
      `CREATE TRIGGER unlucky_once BEFORE INSERT ON persons FOR EACH ROW EXECUTE FUNCTION unlucky_once()`,
    );
    try {
      const message = comment('unlucky');
      expect(short(awardsOf(await run(message)))).toEqual([
        'In Search of the Bull (Tester I) -> unlucky',
      ]);
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM messages WHERE id = $1`, [
        message.id,
      ]);
      expect(n).toBe(1);
      const [{ attempts }] = await ds.query(
        `SELECT last_value::int AS attempts FROM unlucky_attempts`,
      );
      expect(attempts).toBe(2);
    } finally {
      await ds.query(`DROP TRIGGER unlucky_once ON persons`);
      await ds.query(`DROP FUNCTION unlucky_once()`);
      await ds.query(`DROP SEQUENCE unlucky_attempts`);
    }
  });

  it('records how far people are towards the badges the rules count for them', async () => {
    for (let i = 0; i < 3; i++) await run(comment('patience'));
    const progress = await t.get(ProgressService).of('patience');
    const byBadge = new Map(progress.map((p) => [p.badge.id, `${p.value}/${p.target}`]));
    // Tester I (1 comment) is held, so not in progress; the next rung of the ladder is (the
    // rungs after it count the same comments: only the nearest one is kept).
    expect(byBadge.has('in-search-of-the-bull-tester-i')).toBe(false);
    expect(byBadge.get('discovery-of-the-footprints-tester-ii')).toBe('3/5');
    expect(byBadge.has('perceiving-the-bull-tester-iii')).toBe(false);
    // Two more: Tester II is earned and leaves the list; the next rung moves on.
    for (let i = 0; i < 2; i++) await run(comment('patience'));
    const after = new Map(
      (await t.get(ProgressService).of('patience')).map((p) => [
        p.badge.id,
        `${p.value}/${p.target}`,
      ]),
    );
    expect(after.has('discovery-of-the-footprints-tester-ii')).toBe(false);
    expect(after.get('perceiving-the-bull-tester-iii')).toBe('5/10');
    // The API shows the same.
    const api = await t.http().get('/api/v1/users/patience/progress').expect(200);
    expect(JSON.stringify(api.body)).toContain('perceiving-the-bull-tester-iii');
  });

  it('reloads without restart: a broken file keeps its last good rule, a removed one goes', async () => {
    const file = join(dir, 'tester-01.yml');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace('description:', 'descriptoin:'));
    unlinkSync(join(dir, 'badger-baby.yml'));
    writeFileSync(
      join(dir, 'two-of-a-kind.yml'),
      COLLECTOR.replace('Received two badges.', 'Two!'),
    );
    const r = await rules.reload();
    expect(r.keptLastGood).toEqual(['tester-01.yml']);
    expect([...new Set(r.errors.map((e) => e.file))]).toEqual(['tester-01.yml']);
    expect(r.changed).toEqual(['two-of-a-kind']);
    expect(rules.rules).toHaveLength(98);
    expect(rules.rules.some((x) => x.badgeId === 'in-search-of-the-bull-tester-i')).toBe(true);
    expect(rules.rules.some((x) => x.badgeId === 'baby-badger')).toBe(false);
    expect((await t.get(BadgesService).get('two-of-a-kind')).description).toBe('Two!');
    // The kept rule still awards.
    expect(short(awardsOf(await run(comment('kim'))))).toEqual([
      'In Search of the Bull (Tester I) -> kim',
    ]);
    expect(
      awardsOf(
        await run(fm('fedbadges.person.login.first', { user: { username: 'lee' } }, ['lee'])),
      ),
    ).toEqual([]);
  });
});
