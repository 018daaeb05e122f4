/** evaluateRule, feature by feature, with an in-memory history (MemoryHistory). */
import {
  MemoryHistory,
  evaluateRule,
  indexRules,
  loadRule,
  parseMessage,
  type BusMessage,
  type EvaluationContext,
  type IdentityKind,
  type Rule,
} from './index';

const HEADER = `
name: Test Badge
description: A badge for tests.
creator: tester
discussion: https://example.org/d
image_url: https://example.org/b.png
issuer_id: test
`;

let seq = 0;
function message(topic: string, body: unknown, users: string[] = [], at = seq): BusMessage {
  seq += 1;
  const headers: Record<string, unknown> = {};
  for (const u of users) headers[`fedora_messaging_user_${u}`] = true;
  return parseMessage({
    topic,
    msg: body,
    msg_id: `m-${seq}`,
    timestamp: 1_600_000_000 + at,
    headers,
  });
}

interface World {
  history: MemoryHistory;
  holders: Set<string>;
  optedOut: Set<string>;
  identities: Map<string, string>;
  ctx: EvaluationContext;
}

function world(banned: string[] = ['bodhi', 'koji']): World {
  const history = new MemoryHistory();
  const holders = new Set<string>();
  const optedOut = new Set<string>();
  const identities = new Map<string, string>();
  return {
    history,
    holders,
    optedOut,
    identities,
    ctx: {
      history,
      identities: {
        toFas: (kind: IdentityKind, value: string) =>
          Promise.resolve(identities.get(`${kind}:${value}`) ?? null),
      },
      awards: {
        holds: (badgeId, user) => Promise.resolve(holders.has(`${badgeId}/${user}`)),
        optedOut: (user) => Promise.resolve(optedOut.has(user)),
      },
      bannedUsers: new Set(banned),
    },
  };
}

/** Adds the message to the history (criteria counts include it), then evaluates. */
async function run(rule: Rule, w: World, m: BusMessage) {
  w.history.add(m);
  return evaluateRule(rule, m, w.ctx);
}

const COMMENT = 'org.fedoraproject.prod.bodhi.update.comment';

const countRule = (threshold: number, extra = '') =>
  loadRule(
    't.yml',
    `${HEADER}
trigger:
  topic: bodhi.update.comment
criteria:
  datanommer:
    filter:
      topics: ["%(topic)s"]
      users: ["%(msg.comment.author)s"]
    operation: count
    condition:
      greater than or equal to: ${threshold}
recipient: "%(msg.comment.author)s"
${extra}`,
  );

describe('triggers', () => {
  const rule = (trigger: string) =>
    loadRule(
      't.yml',
      `${HEADER}trigger:\n${trigger}\ncriteria:\n  datanommer:\n    filter: {}\n    operation: count\n    condition: {greater than: 0}\n`,
    );
  const m = message(COMMENT, { comment: { karma: 1, anonymous: false }, group: 'sponsors' });
  it.each([
    ['  topic: bodhi.update.comment', true],
    ['  topic: update.comment', true],
    ['  topic: bodhi.update', false],
    ['  category: bodhi', true],
    ['  category: prod', false],
    ["  lambda: msg['msg']['comment']['karma'] is 1", true],
    ["  lambda: msg['msg']['missing']", false],
    ["  lambda: msg['msg'].nope()", false],
    ["  not:\n    lambda: msg['msg']['missing']", true],
    ['  not:\n    topic: bodhi.update.comment', false],
    ['  not:\n    - topic: koji.build\n    - topic: wiki.edit', true],
    [
      "  all:\n    - topic: bodhi.update.comment\n    - lambda: msg.get('msg', {}).get('group') == 'sponsors'",
      true,
    ],
    ['  all:\n    - topic: bodhi.update.comment\n    - category: koji', false],
    ['  any:\n    - category: koji\n    - topic: comment', true],
    [
      "  lambda: msg['topic'] == 'org.fedoraproject.prod.bodhi.update.comment' and msg['msg_id'].startswith('m-')",
      true,
    ],
  ])('%s -> %s', (trigger, expected) => {
    expect(rule(trigger).triggeredBy(m)).toBe(expected);
  });

  it('category of a short topic is false, not an error', () => {
    expect(rule('  category: bodhi').triggeredBy(message('a.b', {}))).toBe(false);
  });
});

describe('1.x criteria', () => {
  it('counts include the triggering message: the threshold is crossed by it', async () => {
    const w = world();
    const rule = countRule(3);
    const outcomes = [];
    for (let i = 0; i < 4; i++) {
      outcomes.push(
        await run(rule, w, message(COMMENT, { comment: { author: 'Alice' } }, ['alice'])),
      );
    }
    expect(outcomes.map((o) => o.recipients)).toEqual([[], [], ['alice'], ['alice']]);
    expect(outcomes[2].trace.join('\n')).toMatch(/count .* = 3/);
  });

  it('a missing substitution key awards nothing and says which key', async () => {
    const w = world();
    const outcome = await run(countRule(1), w, message(COMMENT, { comment: {} }));
    expect(outcome).toMatchObject({ triggered: true, criteriaMet: false, recipients: [] });
    expect(outcome.error).toBe("missing substitution key 'msg.comment.author'");
  });

  it.each([
    ['greater than or equal to', 2, [false, true, true]],
    ['is greater than or equal to', 2, [false, true, true]],
    ['greater than', 2, [false, false, true]],
    ['less than or equal to', 2, [true, true, false]],
    ['is less than or equal to', 2, [true, true, false]],
    ['less than', 2, [true, false, false]],
    ['equal to', 2, [false, true, false]],
    ['is equal to', 2, [false, true, false]],
    ['is not', 2, [true, false, true]],
    ['is not equal to', 2, [true, false, true]],
    ['lambda', '"value % 2 == 1"', [true, false, true]],
  ])('condition %s %s', async (name, threshold, expected) => {
    const w = world();
    const rule = loadRule(
      't.yml',
      `${HEADER}trigger: {topic: a.b.c.d}\ncriteria:\n  datanommer:\n    filter: {topics: ["%(topic)s"]}\n    operation: count\n    condition:\n      ${name}: ${threshold}\nrecipient: carol\n`,
    );
    const met = [];
    for (let i = 0; i < 3; i++)
      met.push((await run(rule, w, message('x.a.b.c.d', {}))).criteriaMet);
    expect(met).toEqual(expected);
  });

  it('operation lambdas see query.all() rows (row.msg is the body) and are formatted first', async () => {
    const w = world();
    const rule = loadRule(
      't.yml',
      `${HEADER}trigger: {topic: bodhi.update.comment}
criteria:
  datanommer:
    filter:
      topics: ["%(topic)s"]
    operation:
      lambda: len([m for m in query.all() if m.msg['comment'].get('update_submitter') == "%(msg.comment.update_submitter)s" and m.msg['comment']['karma'] is 1])
    condition:
      greater than or equal to: 2
recipient: "%(msg.comment.update_submitter)s"
`,
    );
    const c = (submitter: string, karma: number) =>
      message(COMMENT, { comment: { update_submitter: submitter, karma } });
    const results = [];
    for (const m of [
      c('Dan', 1),
      c('eve', 1),
      c('dan', -1),
      c('DAN', 1),
      c('dan', 1),
      c('dan', 1),
    ]) {
      results.push((await run(rule, w, m)).recipients);
    }
    // Stored bodies keep their case; the placeholder is lower-cased: only 'dan' rows count.
    expect(results).toEqual([[], [], [], [], [], ['dan']]);
    expect(w.ctx.history).toBe(w.history);
  });

  it('query.count() and lambdas inside filters', async () => {
    const w = world();
    const rule = loadRule(
      't.yml',
      `${HEADER}trigger: {topic: wiki.article.edit}
criteria:
  datanommer:
    filter:
      topics: ["%(topic)s"]
      users:
        lambda: "[msg['msg']['user'].lower()]"
    operation:
      lambda: query.count() * 10
    condition:
      greater than: 15
recipient: "%(msg.user)s"
`,
    );
    const edit = () =>
      message('org.fedoraproject.prod.wiki.article.edit', { user: 'Zed' }, ['zed']);
    expect((await run(rule, w, edit())).recipients).toEqual([]);
    expect((await run(rule, w, edit())).recipients).toEqual(['zed']);
  });

  it('all / any / not over criteria; an error in a node makes it false', async () => {
    const crit = (tree: string) =>
      loadRule(
        't.yml',
        `${HEADER}trigger: {topic: a.b.c.d}\ncriteria:\n${tree}\nrecipient: carol\n`,
      );
    const yes = '{datanommer: {filter: {}, operation: count, condition: {greater than: 0}}}';
    const no = '{datanommer: {filter: {}, operation: count, condition: {greater than: 100}}}';
    const broken =
      '{datanommer: {filter: {}, operation: {lambda: "query.all()[5].msg[\'x\']"}, condition: {greater than: 0}}}';
    const cases: [string, boolean][] = [
      [`  all: [${yes}, ${yes}]`, true],
      [`  all: [${yes}, ${no}]`, false],
      [`  any: [${no}, ${yes}]`, true],
      [`  not: ${no}`, true],
      [`  not: [${no}, ${yes}]`, false],
      [`  any: [${broken}]`, false],
      [`  not: ${broken}`, true],
    ];
    for (const [tree, expected] of cases) {
      const w = world();
      const outcome = await run(crit(tree), w, message('x.a.b.c.d', {}));
      expect({ tree, met: outcome.criteriaMet, error: outcome.error }).toEqual({
        tree,
        met: expected,
        error: null,
      });
    }
  });
});

describe('recipients', () => {
  const rule = (recipient: string, extra = '') =>
    loadRule(
      't.yml',
      `${HEADER}trigger: {topic: a.b.c.d}\ncriteria:\n  datanommer: {filter: {}, operation: count, condition: {greater than: 0}}\n${recipient}\n${extra}`,
    );

  it.each([
    ['recipient: "%(msg.user)s"', { user: 'Ralph' }, [], ['ralph']],
    ['recipient: "%(msg.owners)s"', { owners: ['ann', 'bob'] }, [], ['ann', 'bob']],
    ['recipient: "%(msg.attendees)s"', { attendees: { zoe: 1, Yan: 2 } }, [], ['yan', 'zoe']],
    [
      'recipient: "%(msg.authors)s"',
      { authors: [{ name: 'p1' }, { name: 'p2' }] },
      [],
      ['p1', 'p2'],
    ],
    ['recipient: "%(msg.user)s"', { user: null }, [], []],
    ['recipient: ["%(msg.a)s", "%(msg.b)s"]', { a: 'x', b: 'y' }, [], ['x', 'y']],
    ['', { user: 'ignored' }, ['u1', 'u2'], ['u1', 'u2']],
  ])('%s with %j (users %j) -> %j', async (recipient, body, users, expected) => {
    const w = world();
    const outcome = await run(rule(recipient), w, message('x.a.b.c.d', body, users));
    expect(outcome.recipients).toEqual(expected);
    expect(outcome.error).toBeNull();
  });

  it('drops banned, private-IP, holders and opted-out people, saying why', async () => {
    const w = world();
    const r = rule('recipient: "%(msg.people)s"');
    w.holders.add(`${r.badgeId}/held`);
    w.optedOut.add('shy');
    const outcome = await run(
      r,
      w,
      message('x.a.b.c.d', { people: ['koji', '10.0.0.1', '192.168.1.2', 'held', 'shy', 'ok'] }),
    );
    expect(outcome.recipients).toEqual(['ok']);
    expect(outcome.skipped).toEqual([
      { user: '10.0.0.1', reason: 'private-ip' },
      { user: '192.168.1.2', reason: 'private-ip' },
      { user: 'held', reason: 'already-holds' },
      { user: 'koji', reason: 'banned' },
      { user: 'shy', reason: 'opted-out' },
    ]);
  });

  it('applies *2fas converters through the identity port; unknown names pass unchanged', async () => {
    const w = world();
    // A list reached whole keeps its case (only strings reached by the flattening are lower-cased).
    w.identities.set('nick:IRCRalph', 'ralph');
    w.identities.set('email:x@example.org', 'Xavier');
    const r = rule(
      'recipient: "%(msg.who)s"',
      'recipient_nick2fas: Yes\nrecipient_email2fas: true\n',
    );
    const outcome = await run(
      r,
      w,
      message('x.a.b.c.d', { who: ['IRCRalph', 'x@example.org', 'stranger'] }),
    );
    expect(outcome.recipients).toEqual(['ralph', 'stranger', 'xavier']);
  });

  it('does not query history when no one could receive the badge', async () => {
    const w = world();
    let calls = 0;
    const ctx = {
      ...w.ctx,
      history: { count: () => Promise.resolve(++calls), rows: () => Promise.resolve([]) },
    };
    const outcome = await evaluateRule(
      rule('recipient: "%(msg.user)s"'),
      message('x.a.b.c.d', { user: 'koji' }),
      ctx,
    );
    expect(outcome.criteriaMet).toBe(false);
    expect(calls).toBe(0);
  });

  it('lets port failures through (the runtime retries), never a rule error', async () => {
    const w = world();
    const ctx = {
      ...w.ctx,
      history: {
        count: () => Promise.reject(new Error('db down')),
        rows: () => Promise.resolve([]),
      },
    };
    await expect(
      evaluateRule(rule('recipient: "%(msg.user)s"'), message('x.a.b.c.d', { user: 'a' }), ctx),
    ).rejects.toThrow('db down');
  });
});

describe('2.x format', () => {
  const v2 = (body: string) => loadRule('t.yml', HEADER + body);

  it('counts per candidate with previous.filter expressions of message and recipient', async () => {
    const w = world();
    const rule = v2(`trigger:
  topic: bodhi.update.comment
recipient: message.body['comment']['user']['name']
previous:
  filter:
    topics: [message.topic]
    users: [recipient]
  operation: count
condition:
  greater than or equal to: 2
`);
    const c = (name: string) => message(COMMENT, { comment: { user: { name } } }, [name]);
    const out = [];
    for (const m of [c('ann'), c('bob'), c('ann')]) out.push((await run(rule, w, m)).recipients);
    expect(out).toEqual([[], [], ['ann']]);
  });

  it('defaults: recipient message.agent_name, no condition (the trigger suffices)', async () => {
    const w = world();
    const rule = v2(
      "trigger:\n  lambda: message.topic.endswith('user.create') and message.usernames == ['new']\n",
    );
    const m = parseMessage({
      topic: 'org.fedoraproject.prod.fas.user.create',
      body: {},
      id: 'x1',
      headers: {
        'sent-at': '2024-01-01T00:00:00Z',
        fedora_messaging_agent: 'new',
        fedora_messaging_user_new: true,
      },
    });
    expect((await run(rule, w, m)).recipients).toEqual(['new']);
  });

  it('a KeyError in the recipient means no candidates, in the trigger a false node', async () => {
    const w = world();
    const rule = v2("trigger:\n  topic: a.b\nrecipient: message.body['nope']\n");
    const outcome = await run(rule, w, message('x.a.b', {}));
    expect(outcome).toMatchObject({ triggered: true, recipients: [], error: null });
    expect(v2("trigger:\n  lambda: message.body['nope']\n").triggeredBy(message('x', {}))).toBe(
      false,
    );
  });
});

describe('indexRules', () => {
  const r = (trigger: string, name: string) =>
    loadRule(
      't.yml',
      HEADER.replace('Test Badge', name) +
        `trigger:\n${trigger}\ncriteria:\n  datanommer: {filter: {}, operation: count, condition: {greater than: 0}}\n`,
    );
  const rules = [
    r('  topic: bodhi.update.comment', 'A'),
    r('  all:\n    - topic: buildsys.build.state.change\n    - lambda: "True"', 'B'),
    r('  category: fas', 'C'),
    r('  lambda: "True"', 'D'),
    r('  any:\n    - topic: wiki.article.edit\n    - category: bodhi', 'E'),
    r('  topic: comment', 'F'),
    r('  not:\n    topic: x.y', 'G'),
  ];
  const index = indexRules(rules);
  it.each([
    [COMMENT, ['A', 'D', 'E', 'F', 'G']],
    ['org.fedoraproject.prod.buildsys.build.state.change', ['B', 'D', 'G']],
    ['org.fedoraproject.prod.fas.group.member.sponsor', ['C', 'D', 'G']],
    ['org.fedoraproject.stg.wiki.article.edit', ['D', 'E', 'G']],
    ['short', ['D', 'G']],
  ])('%s -> %j', (topic, names) => {
    const m = message(topic, {});
    expect(index.candidates(m).map((x) => x.name)).toEqual(names);
    // Sound: every rule that triggers is a candidate.
    const triggered = rules.filter((x) => x.triggeredBy(m)).map((x) => x.name);
    expect(names).toEqual(expect.arrayContaining(triggered));
  });
});

describe('progress', () => {
  const comment = (author: string) =>
    message(COMMENT, { comment: { author, karma: 1, anonymous: false } }, [author]);
  const rule = (condition: string, filterUsers = '["%(msg.comment.author)s"]', criteria = '') =>
    loadRule(
      't.yml',
      `${HEADER}
trigger:
  topic: bodhi.update.comment
criteria:
${
  criteria ||
  `  datanommer:
    filter:
      topics: ["%(topic)s"]
      users: ${filterUsers}
    operation: count
    condition:
      ${condition}`
}
recipient: "%(msg.comment.author)s"
`,
    );

  it.each([
    ['greater than or equal to: 5', { value: 3, target: 5 }],
    ['is greater than or equal to: 5', { value: 3, target: 5 }],
    ['greater than: 5', { value: 3, target: 6 }],
    ['greater than: 4.5', { value: 3, target: 5 }],
    ['equal to: 5', null],
    ['less than: 2', null],
    ['greater than or equal to: "5"', null],
  ])('reports how far the recipient is, for %s', async (condition, expected) => {
    const w = world();
    for (let i = 0; i < 2; i++) w.history.add(comment('ann'));
    const outcome = await run(rule(condition), w, comment('ann'));
    expect(outcome.criteriaMet).toBe(false);
    expect(outcome.progress).toEqual(
      expected && { user: 'ann', ...expected, measure: expect.stringContaining('"users":["ann"]') },
    );
  });

  it('reports nothing once the badge is earned, or when the count is not the recipient own', async () => {
    const w = world();
    const met = await run(rule('greater than or equal to: 1'), w, comment('bob'));
    expect(met.recipients).toEqual(['bob']);
    expect(met.progress).toBeNull();
    const others = await run(rule('greater than or equal to: 9', '["someone"]'), w, comment('bob'));
    expect(others.criteriaMet).toBe(false);
    expect(others.progress).toBeNull();
    const nested = await run(
      rule(
        '',
        '',
        `  all:
  - datanommer:
      filter: {topics: ["%(topic)s"], users: ["%(msg.comment.author)s"]}
      operation: count
      condition: {greater than or equal to: 9}`,
      ),
      w,
      comment('bob'),
    );
    expect(nested.criteriaMet).toBe(false);
    expect(nested.progress).toBeNull();
  });
});
