import type { DataSource } from 'typeorm';
import {
  type BusMessage,
  counterKeyOf,
  type HistoryFilter,
  matchesFilter,
} from '../../src/modules/rules/engine';
import { CounterRegistry } from '../../src/modules/rules/history/counter-registry';
import { BatchLedger } from '../../src/modules/rules/history/batch-ledger';
import { HistoryStore } from '../../src/modules/rules/history/history.store';
import { insertMessages } from '../../src/modules/rules/history/message-writes';
import { TransactionTally } from '../../src/modules/rules/history/transaction-tally';
import { seededRandom } from '../support/random';
import { createTestApp, type TestApp } from '../support/test-app';

const P = 'org.fedoraproject.prod';

function message(
  id: string,
  topic: string,
  users: string[],
  opts: { packages?: string[]; body?: unknown; at?: string } = {},
): BusMessage {
  return {
    id,
    topic,
    body: opts.body ?? { id },
    headers: {},
    sentAt: new Date(opts.at ?? '2024-01-01T00:00:00Z'),
    users: [...users].sort(),
    packages: opts.packages ?? [],
    agent: null,
  };
}

const MESSAGES: BusMessage[] = [
  message('m1', `${P}.bodhi.update.comment`, ['alice'], {
    packages: ['kernel'],
    body: { comment: { text: 'Works for me', karma: 1 } },
    at: '2024-01-01T10:00:00Z',
  }),
  message('m2', `${P}.bodhi.update.comment`, ['alice', 'bob'], {
    packages: ['gcc'],
    body: { comment: { text: 'fails: 50% of tests', karma: -1 } },
    at: '2024-01-02T10:00:00Z',
  }),
  message('m3', `${P}.buildsys.build.state.change`, ['bob'], {
    packages: ['kernel', 'gcc'],
    body: { owner: 'bob', name: 'kernel', new: 1 },
    at: '2024-01-03T10:00:00Z',
  }),
  message('m4', `${P}.wiki.article.edit`, ['carol'], {
    body: { user: 'carol', title: 'Ünïcode page' },
    at: '2024-01-04T10:00:00Z',
  }),
  message('m5', `${P}.wiki.article.edit`, [], { at: '2024-01-05T10:00:00Z' }),
  message('m6', 'short.topic', ['alice'], { at: '2024-01-06T10:00:00Z' }),
  message('m7', `${P}.git.receive`, ['dave', 'alice'], {
    packages: ['rpm'],
    body: { commit: { username: 'dave', message: 'b: "quoted"' } },
    at: '2024-01-07T10:00:00Z',
  }),
  // A fourth topic part that is empty: category '' (not none).
  message('m8', 'a.b.c..e', ['erin'], { at: '2024-01-08T10:00:00Z' }),
];

const FILTERS: [string, HistoryFilter][] = [
  ['nothing', {}],
  ['one topic', { topics: [`${P}.bodhi.update.comment`] }],
  ['two topics', { topics: [`${P}.bodhi.update.comment`, `${P}.git.receive`] }],
  ['not topics', { notTopics: [`${P}.bodhi.update.comment`] }],
  ['categories', { categories: ['bodhi', 'wiki'] }],
  ['empty category', { categories: [''] }],
  ['not categories', { notCategories: ['bodhi'] }],
  ['users', { users: ['alice'] }],
  ['users or', { users: ['carol', 'dave'] }],
  ['not users', { notUsers: ['alice'] }],
  ['packages', { packages: ['kernel'] }],
  ['not packages', { notPackages: ['gcc'] }],
  ['contains', { contains: ['Works for'] }],
  ['contains or', { contains: ['nothing like this', '"karma": -1'] }],
  ['contains escapes', { contains: ['\\u00dcn'] }],
  ['contains quote', { contains: ['\\"quoted\\"'] }],
  ['contains percent', { contains: ['50%'] }],
  ['start', { start: new Date('2024-01-03T10:00:00Z') }],
  ['end', { end: new Date('2024-01-03T10:00:00Z') }],
  [
    'topic + user + window',
    {
      topics: [`${P}.bodhi.update.comment`],
      users: ['bob'],
      start: new Date('2024-01-02T00:00:00Z'),
      end: new Date('2024-01-02T23:00:00Z'),
    },
  ],
  ['category + not user', { categories: ['bodhi', 'buildsys'], notUsers: ['bob'] }],
  ['user + package', { users: ['bob'], packages: ['kernel'] }],
  // Empty lists constrain nothing (datanommer tested `if packages:`).
  ['empty lists', { categories: ['bodhi'], topics: [], users: [], packages: [], contains: [] }],
];

const matching = (f: HistoryFilter) =>
  MESSAGES.filter((m) => matchesFilter(f, m))
    .map((m) => m.id)
    .sort();

describe('rules history (messages, filters, counters)', () => {
  let t: TestApp;
  let ds: DataSource;

  beforeAll(async () => {
    t = await createTestApp({ env: { ACCOLADES_RULES_RELOAD_SECONDS: '0' } });
    ds = t.dataSource;
    await ds.transaction((m) => insertMessages(m, MESSAGES));
  });
  afterAll(() => t.close());

  it('stores a message once: a second insert of the same id is a duplicate', async () => {
    const ids = await ds.transaction((m) =>
      insertMessages(m, [MESSAGES[0], message('fresh', 'x.y.z.w', [])]),
    );
    expect([...ids]).toEqual(['fresh']);
    const [row] = await ds.query(
      `SELECT category, users, received_at IS NOT NULL AS received FROM messages WHERE id = 'm3'`,
    );
    expect(row).toEqual({ category: 'buildsys', users: ['bob'], received: true });
    await ds.query(`DELETE FROM messages WHERE id = 'fresh'`);
  });

  it.each(FILTERS)('SQL and matchesFilter agree: %s', async (_name, filter) => {
    const expected = matching(filter);
    // Every filter of the table selects some messages and leaves others out.
    expect(expected.length).toBeGreaterThan(0);
    if (Object.keys(filter).length) expect(expected.length).toBeLessThan(MESSAGES.length);
    const store = new HistoryStore(ds.manager, new CounterRegistry(ds));
    expect(await store.sqlCount(filter)).toBe(expected.length);
    expect((await store.rows(filter)).map((r) => r.id).sort()).toEqual(expected);
  });

  it('pages rows in time order, both ways, also when the body decides', async () => {
    const store = new HistoryStore(ds.manager, new CounterRegistry(ds));
    const ids = async (f: HistoryFilter) => (await store.rows(f)).map((r) => r.id);
    expect(await ids({ users: ['alice'], rowsPerPage: 2, page: 1 })).toEqual(['m1', 'm2']);
    expect(await ids({ users: ['alice'], rowsPerPage: 2, page: 2 })).toEqual(['m6', 'm7']);
    expect(await ids({ users: ['alice'], order: 'desc', rowsPerPage: 1 })).toEqual(['m7']);
    expect(await ids({ contains: ['"karma"'], order: 'desc', rowsPerPage: 1 })).toEqual(['m2']);
    const row = (await store.rows({ topics: [`${P}.wiki.article.edit`], users: ['carol'] }))[0];
    expect(row).toMatchObject({
      msg: { user: 'carol', title: 'Ünïcode page' },
      timestamp: new Date('2024-01-04T10:00:00Z'),
      users: ['carol'],
    });
  });

  it('answers counter-eligible counts from counters once registered, equal to SQL', async () => {
    const counters = new CounterRegistry(ds);
    const filters: HistoryFilter[] = [
      { topics: [`${P}.bodhi.update.comment`], users: ['alice'] },
      { categories: ['bodhi', 'git'], users: ['alice'] },
      { contains: ['karma'], users: ['bob'] },
      { notTopics: [`${P}.wiki.article.edit`], users: ['alice'] },
    ];
    // First use: not registered, counted in SQL, and asked for.
    await ds.transaction(async (m) => {
      await counters.enter(m);
      const store = new HistoryStore(m, counters);
      for (const f of filters) expect(await store.count(f)).toBe(matching(f).length);
    });
    expect(counters.hasPending).toBe(true);
    await counters.flush();
    const keys = filters.map((f) => counterKeyOf(f));
    const registered = await ds.query(
      `SELECT filter_key FROM rule_counter_filters WHERE ready ORDER BY filter_key`,
    );
    expect(registered.map((r: { filter_key: string }) => r.filter_key)).toEqual([...keys].sort());
    // Then counted from counters, and kept current by later messages.
    const later = message('m9', `${P}.bodhi.update.comment`, ['alice'], {
      body: { comment: { karma: 1 } },
    });
    await ds.transaction(async (m) => {
      await counters.enter(m);
      await insertMessages(m, [later]);
      await counters.increment(m, [later]);
      const store = new HistoryStore(m, counters);
      for (const f of filters) {
        expect(counters.readyKeyOf(f)).not.toBeNull();
        const expected = [...MESSAGES, later].filter((x) => matchesFilter(f, x)).length;
        expect(await store.count(f)).toBe(expected);
        expect(await store.sqlCount(f)).toBe(expected);
      }
    });
    await ds.query(`DELETE FROM messages WHERE id = 'm9'`);
    await counters.rebuildAll();
  });

  it('judges each message of a batch stored at once on the history before it, not after', async () => {
    const counters = new CounterRegistry(ds);
    const topic = `${P}.fedoratagger.tag.create`;
    const kept: HistoryFilter = { topics: [topic], users: ['zed'] };
    // A time bound keeps a filter out of the counters: answered in SQL, and its rows too.
    const bounded: HistoryFilter = { ...kept, start: new Date('2020-01-01T00:00:00Z') };
    await ds.transaction(async (m) => {
      await counters.enter(m);
      await new HistoryStore(m, counters).count(kept);
    });
    await counters.flush();

    const batch = [1, 2, 3].map((n) =>
      message(`zed-${n}`, topic, ['zed'], { at: `2024-02-0${n}T00:00:00Z` }),
    );
    const rollback = new Error('rolled back on purpose');
    await expect(
      ds.transaction(async (m) => {
        await counters.enter(m);
        expect(counters.readyKeyOf(kept)).not.toBeNull();
        expect(counters.readyKeyOf(bounded)).toBeNull();
        const tally = new TransactionTally(m);
        const incs = batch.map((b) => counters.incrementsOf([b]));
        const stored = await tally.store(batch, incs);
        expect([...stored].sort()).toEqual(['zed-1', 'zed-2', 'zed-3']);
        const ledger = new BatchLedger(batch.map((b, i) => ({ id: b.id, inc: incs[i] })));
        tally.ledger = ledger;
        for (const [i, b] of batch.entries()) {
          ledger.advance(b.id);
          const store = new HistoryStore(m, counters, tally);
          expect(await store.count(kept)).toBe(i + 1);
          expect(await store.count(bounded)).toBe(i + 1);
          expect((await store.rows(bounded)).map((r) => r.id)).toEqual(
            batch.slice(0, i + 1).map((x) => x.id),
          );
        }
        // A message the transaction makes (an award's) counts at once, and is stored only
        // when rows it could match are read.
        const made = message('zed-made', topic, ['zed'], { at: '2024-02-03T00:00:00Z' });
        tally.defer(made, counters.incrementsOf([made]));
        const inDb = async () =>
          (await m.query(`SELECT 1 FROM messages WHERE id = 'zed-made'`)).length;
        expect(await new HistoryStore(m, counters, tally).count(kept)).toBe(4);
        expect(await inDb()).toBe(0);
        expect(await new HistoryStore(m, counters, tally).count(bounded)).toBe(4);
        expect(await inDb()).toBe(1);
        expect(await new HistoryStore(m, counters, tally).count(kept)).toBe(4);
        expect(() => ledger.advance('zed-4')).toThrow(/out of order/);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    await counters.rebuildAll();
  });

  it('keeps counters equal to SQL counts under concurrent messages, replicas and registrations', async () => {
    const rnd = seededRandom(42);
    const users = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'];
    const topics = ['a.b.c.bodhi.x', 'a.b.c.koji.y', 'a.b.c.wiki.z'];
    const filters: HistoryFilter[] = [
      ...topics.map((t) => ({ topics: [t] })),
      { categories: ['koji', 'wiki'] },
      { notTopics: [topics[0]] },
      { topics: [topics[1]], packages: ['p1'] },
    ];
    // Two replicas: two registries with their own caches over the same database.
    const replicas = [new CounterRegistry(ds), new CounterRegistry(ds)];
    const stream = Array.from({ length: 240 }, (_, i) =>
      message(
        `c${i}`,
        topics[Math.floor(rnd() * topics.length)],
        users.filter(() => rnd() < 0.35),
        {
          packages: rnd() < 0.5 ? ['p1'] : ['p2'],
          at: new Date(Date.UTC(2024, 1, 1, 0, i)).toISOString(),
        },
      ),
    );
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < stream.length; i += 4) {
      const batch = stream.slice(i, i + 4);
      const counters = replicas[(i / 4) % 2];
      work.push(
        ds.transaction(async (m) => {
          await counters.enter(m);
          await insertMessages(m, batch);
          await counters.increment(m, batch);
        }),
      );
      // Filters registered while messages are in flight, by either replica.
      if (i % 40 === 0 && filters.length) {
        const reg = replicas[(i / 40) % 2];
        reg.want([{ ...filters.shift()!, users: ['-'] }]);
        work.push(reg.flush());
      }
    }
    await Promise.all(work);

    const rows: { filter_key: string; filter: HistoryFilter }[] = await ds.query(
      `SELECT filter_key, filter FROM rule_counter_filters WHERE filter_key LIKE '%a.b.c.%' OR filter_key LIKE '%koji%' OR filter_key LIKE '%p1%'`,
    );
    expect(rows.length).toBe(6);
    const store = new HistoryStore(ds.manager, replicas[0]);
    for (const { filter_key, filter } of rows) {
      for (const u of users) {
        const [c] = await ds.query(
          `SELECT count FROM rule_counters WHERE filter_key = $1 AND username = $2`,
          [filter_key, u],
        );
        const sql = await store.sqlCount({ ...filter, users: [u] });
        expect({ filter_key, u, count: c ? Number(c.count) : 0 }).toEqual({
          filter_key,
          u,
          count: sql,
        });
      }
    }
  });
});
