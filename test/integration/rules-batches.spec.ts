import type { BusMessage } from '../../src/modules/rules/engine';
import { type ProcessResult, RulesService } from '../../src/modules/rules/rules.service';
import { fedoraMessages } from '../bench/support/fedora-messages';
import { createTestApp, type TestApp } from '../support/test-app';

const SAMPLE = '/work/shared/collection/rules';

/**
 * A batch is stored and counted before its first message is judged; each message must
 * still be judged on the history as it stood when it arrived. The same stream through the
 * sample Collection, one message per transaction and in batches, must award the same
 * badges to the same people for the same messages, and leave the same counters.
 */
describe('rules over batches of messages', () => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const t of apps) await t.close();
  });

  async function start(): Promise<RulesService> {
    const t = await createTestApp({
      env: {
        ACCOLADES_RULES_DIR: SAMPLE,
        ACCOLADES_RULES_RELOAD_SECONDS: '0',
        // The sample's badges for badges listen for the legacy award topic.
        ACCOLADES_AWARD_TOPIC: 'fedbadges.badge.award',
      },
    });
    apps.push(t);
    return t.get(RulesService);
  }

  /** 400 messages by 30 people, with ids repeated right after, later, and within a batch. */
  function stream(rules: RulesService): BusMessage[] {
    const start = Date.UTC(2024, 5, 1);
    const out: BusMessage[] = [];
    let i = 0;
    for (const m of fedoraMessages({ count: 400, users: 30, seed: 11, idPrefix: 'b-' })) {
      m.headers['sent-at'] = new Date(start + 60_000 * i++).toISOString();
      const msg = rules.parse(m);
      out.push(msg);
      if (i % 37 === 0) out.push(msg);
      if (i % 53 === 0) out.push(out[out.length - 20]);
    }
    return out;
  }

  const summary = (results: ProcessResult[]) =>
    results.map((r) =>
      r.status === 'duplicate'
        ? 'duplicate'
        : r.awards
            .map((a) => `${a.badgeId}>${a.user}@${a.msgId.startsWith('b-') ? a.msgId : 'award'}`)
            .join(' '),
    );

  async function counters(rules: RulesService) {
    const ds = (rules as unknown as { ds: { query(q: string): Promise<unknown[]> } }).ds;
    return ds.query(
      `SELECT f.filter::text AS filter, c.username, c.count::int AS count
         FROM rule_counters c JOIN rule_counter_filters f USING (filter_key)
        WHERE f.ready ORDER BY 1, 2`,
    );
  }

  it('awards the same, message by message, whatever the batch size', async () => {
    const single = await start();
    const batched = await start();
    const messages = stream(single);

    const one: ProcessResult[] = [];
    for (const m of messages) one.push(await single.process(m));
    const many: ProcessResult[] = [];
    for (let i = 0; i < messages.length; i += 45)
      many.push(...(await batched.processBatch(messages.slice(i, i + 45))));

    const expected = summary(one);
    expect(summary(many)).toEqual(expected);
    // The stream exercises what it should: awards, chains of awards, duplicates.
    const awards = expected.join(' ').split(' ').filter(Boolean);
    expect(awards.length).toBeGreaterThan(100);
    expect(awards.some((a) => a.endsWith('@award'))).toBe(true);
    expect(expected.filter((s) => s === 'duplicate').length).toBeGreaterThan(15);
    // Same counters for the filters both kept (counters are kept lazily, once asked for).
    const a = (await counters(single)) as { filter: string }[];
    const b = (await counters(batched)) as { filter: string }[];
    const both = new Set(a.map((r) => r.filter).filter((f) => b.some((r) => r.filter === f)));
    expect(both.size).toBeGreaterThan(5);
    expect(b.filter((r) => both.has(r.filter))).toEqual(a.filter((r) => both.has(r.filter)));
  }, 180_000);
});
