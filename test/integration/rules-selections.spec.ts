import type { DataSource } from 'typeorm';
import {
  type BusMessage,
  type HistoryFilter,
  MemoryHistory,
  Selection,
} from '../../src/modules/rules/engine';
import { CounterRegistry } from '../../src/modules/rules/history/counter-registry';
import { HistoryStore, selectionReads } from '../../src/modules/rules/history/history.store';
import { insertMessages } from '../../src/modules/rules/history/message-writes';
import { TransactionTally } from '../../src/modules/rules/history/transaction-tally';
import { seededRandom } from '../support/random';
import { createTestApp, type TestApp } from '../support/test-app';

const COMMENT = 'org.fedoraproject.prod.bodhi.update.comment';
const BUILD = 'org.fedoraproject.prod.buildsys.build.state.change';

// The sample Collection's shapes: packager karma (over every comment, one compared value,
// paged by rows_per_page) and the Koji ladders (per user, no compared value).
const KARMA = Selection.of(
  `len([msg for msg in query.all() if msg.msg['comment'].get('update_submitter', None) == "%(msg.comment.update_submitter)s" and msg.msg['comment']['karma'] is 1])`,
)!;
const NEW_BUILDS = Selection.of(`len([msg for msg in query.all() if msg.msg['new'] is 1])`)!;
const KARMA_FILTER: HistoryFilter = { topics: [COMMENT], rowsPerPage: 9_999_999 };
const buildsOf = (user: string): HistoryFilter => ({ topics: [BUILD], users: [user] });

const USERS = ['ann', 'ben', 'cat', 'dan'];

/** Comments and builds, a few of them shaped so that the conditions raise on them. */
function stream(prefix: string, count: number, seed: number): BusMessage[] {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  return Array.from({ length: count }, (_, i) => {
    const user = pick(USERS);
    const at = new Date(Date.UTC(2025, 0, 1, 0, 0, seed * 10_000 + i));
    if (rnd() < 0.5) {
      const odd = rnd();
      const comment =
        odd < 0.03
          ? 'a plain text comment' // AttributeError for every value
          : odd < 0.06
            ? { update_submitter: pick(USERS) } // KeyError for that submitter
            : { update_submitter: pick([...USERS, 'Ann']), karma: pick([1, 1, -1, 0, true]) };
      return msg(`${prefix}${i}`, COMMENT, [user], { comment }, at);
    }
    const body = rnd() < 0.04 ? { owner: user } : { owner: user, new: pick([1, 1, 3, 0]) };
    return msg(`${prefix}${i}`, BUILD, [user], body, at);
  });
}

function msg(id: string, topic: string, users: string[], body: unknown, sentAt: Date): BusMessage {
  return { id, topic, body, headers: {}, sentAt, users, packages: [], agent: null };
}

describe('selection counters (operation lambdas that count rows)', () => {
  let t: TestApp;
  let ds: DataSource;
  const memory = new MemoryHistory();

  beforeAll(async () => {
    t = await createTestApp({ env: { ACCOLADES_RULES_RELOAD_SECONDS: '0' } });
    ds = t.dataSource;
  });
  afterAll(() => t.close());

  async function store(counters: CounterRegistry, messages: BusMessage[]): Promise<void> {
    await ds.transaction(async (m) => {
      await counters.enter(m);
      const fresh = await insertMessages(m, messages);
      const stored = messages.filter((x) => fresh.has(x.id));
      await counters.increment(m, stored);
    });
    for (const x of messages) memory.add(x);
  }

  /**
   * Every question the two rule shapes can be asked, from the store and by scanning. With
   * `prefetched`, the transaction first read what the intake reads for a batch: every
   * bucket of these users, and of the whole-filter counter (user '') the cells of the
   * questions about these values. The cells it did not read are read when
   * asked, never taken for 0.
   */
  async function expectAgreement(
    counters: CounterRegistry,
    expectCounted: boolean,
    prefetched: readonly string[] | null = null,
  ) {
    const questions: [Selection, HistoryFilter, string[]][] = [
      ...[...USERS, 'Ann', 'nobody'].map((u): [Selection, HistoryFilter, string[]] => [
        KARMA,
        KARMA_FILTER,
        [u],
      ]),
      ...USERS.map((u): [Selection, HistoryFilter, string[]] => [NEW_BUILDS, buildsOf(u), []]),
    ];
    let errors = 0;
    await ds.transaction(async (m) => {
      await counters.enter(m);
      const tally = new TransactionTally(m);
      if (prefetched) {
        const cells: [string, string][] = [];
        for (const [selection, filter, values] of questions) {
          const reads = selectionReads(counters, filter, selection, values);
          if (reads?.user === '' && prefetched.includes(values[0]))
            for (const b of [reads.count, ...reads.errors]) cells.push([reads.key, b]);
        }
        await tally.prefetchSelections(counters.readySelectionKeys(), prefetched, {
          keys: cells.map(([k]) => k),
          buckets: cells.map(([, b]) => b),
        });
      }
      const history = new HistoryStore(m, counters, tally);
      for (const [selection, filter, values] of questions) {
        const counted = await history.countSelection(filter, selection, values);
        const scanned = await memory.countSelection(filter, selection, values);
        if (!expectCounted) {
          expect(counted).toBeNull();
          continue;
        }
        expect({ filter, values, ...counted }).toEqual({ filter, values, ...scanned });
        errors += scanned.errors;
      }
    });
    // The stream holds rows the conditions raise on: the counters must have seen them too.
    if (expectCounted) expect(errors).toBeGreaterThan(0);
  }

  it('answers from counters, after one fill, what scanning the rows answers', async () => {
    const counters = new CounterRegistry(ds);
    await store(counters, stream('a', 300, 1));
    // First questions: nothing kept yet; the engine reads rows, and counters are asked for.
    await expectAgreement(counters, false);
    expect(counters.hasPending).toBe(true);
    await counters.flush();
    await expectAgreement(counters, true);
    await expectAgreement(counters, true, USERS.slice(0, 2));
    await expectAgreement(counters, true, [...USERS, 'nobody']);
    // Kept current by the messages that follow, duplicates included.
    const more = stream('b', 200, 2);
    await store(counters, more);
    await store(counters, more.slice(0, 50));
    await expectAgreement(counters, true);
    // And rebuilt equal from history (after a bulk load that bypassed them).
    await ds.query(`UPDATE rule_selection_counts SET count = count + 7`);
    await counters.rebuildAll();
    await expectAgreement(counters, true);
  });

  it('falls back to the rows when a paged filter holds more rows than its page', async () => {
    const counters = new CounterRegistry(ds);
    const small: HistoryFilter = { topics: [COMMENT], rowsPerPage: 5 };
    await ds.transaction(async (m) => {
      await counters.enter(m);
      expect(await new HistoryStore(m, counters).countSelection(small, KARMA, ['ann'])).toBeNull();
    });
    await counters.flush();
    await ds.transaction(async (m) => {
      await counters.enter(m);
      // Ready, but hundreds of comments do not fit in a page of 5: query.all() sees 5 only.
      expect(counters.readySelection(small, KARMA)).not.toBeNull();
      expect(await new HistoryStore(m, counters).countSelection(small, KARMA, ['ann'])).toBeNull();
    });
  });

  it('stays equal to a scan under concurrent messages of two replicas and registrations', async () => {
    const replicas = [new CounterRegistry(ds), new CounterRegistry(ds)];
    // The sample shapes' counters exist before the stream (asked for, then filled).
    await expectAgreement(
      replicas[0],
      !!(await ds.query(`SELECT 1 FROM rule_selection_counts LIMIT 1`)).length,
    );
    await replicas[0].flush();
    const messages = stream('c', 400, 3);
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < messages.length; i += 5) {
      work.push(store(replicas[(i / 5) % 2], messages.slice(i, i + 5)));
      if (i === 100) {
        // A new rule's counter, registered by the other replica while messages flow.
        const reg = replicas[1];
        await ds.transaction(async (m) => {
          await reg.enter(m);
          await new HistoryStore(m, reg).countSelection(
            { topics: [BUILD], users: ['ann'], packages: [] },
            Selection.of(`len([m for m in query.all() if m.msg['new'] is 3])`)!,
            [],
          );
        });
        work.push(reg.flush());
      }
    }
    await Promise.all(work);
    await expectAgreement(replicas[0], true);
    await expectAgreement(replicas[1], true);
    const climbs = Selection.of(`len([m for m in query.all() if m.msg['new'] is 3])`)!;
    await ds.transaction(async (m) => {
      await replicas[0].enter(m);
      const history = new HistoryStore(m, replicas[0]);
      const filter = { topics: [BUILD], users: ['ann'] };
      expect(await history.countSelection(filter, climbs, [])).toEqual(
        await memory.countSelection(filter, climbs, []),
      );
    });
  });
});
