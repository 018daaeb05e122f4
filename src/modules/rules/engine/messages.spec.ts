/** parseMessage, awardMessage and the legacy envelope; substitutions; filters and counter keys. */
import {
  MessageFormatError,
  awardMessage,
  counterKeyOf,
  filterTopics,
  matchesFilter,
  parseMessage,
} from './index';
import { legacyEnvelope } from './messages';
import { constructSubstitutions, formatArgs } from './substitutions';
import { MissingKeyError } from './errors';

describe('parseMessage', () => {
  it('reads a datagrepper envelope: users and packages from headers, agent from the body', () => {
    const m = parseMessage({
      topic: 'org.fedoraproject.prod.bodhi.update.comment',
      msg: { comment: { author: 'Ralph' }, agent: 'ralph' },
      msg_id: '2014-abc',
      timestamp: 1400000000.5,
      headers: {
        fedora_messaging_user_Ralph: true,
        fedora_messaging_user_bob: true,
        fedora_messaging_user_ralph: true,
        fedora_messaging_user_nobody: false,
        fedora_messaging_package_PyYAML: true,
      },
    });
    expect(m).toMatchObject({
      id: '2014-abc',
      topic: 'org.fedoraproject.prod.bodhi.update.comment',
      users: ['bob', 'ralph'],
      packages: ['PyYAML'],
      agent: 'ralph',
    });
    expect(m.sentAt.toISOString()).toBe('2014-05-13T16:53:20.500Z');
  });

  it('reads fedora-messaging JSON: sent-at header, agent header first', () => {
    const m = parseMessage({
      topic: 'org.fedoraproject.prod.fas.user.create',
      body: { agent: 'someone', msg: { agent: 'x' } },
      id: 'uuid-1',
      headers: { 'sent-at': '2024-01-02T03:04:05+00:00', fedora_messaging_agent: 'admin' },
    });
    expect(m).toMatchObject({ id: 'uuid-1', agent: 'admin', users: [], packages: [] });
    expect(m.sentAt.toISOString()).toBe('2024-01-02T03:04:05.000Z');
  });

  it('takes body.msg.agent when there is no other agent, and does not invent users', () => {
    const m = parseMessage({
      topic: 't.a.b.c',
      msg: { msg: { agent: 'z' }, user: 'u' },
      msg_id: '1',
      timestamp: 0,
    });
    expect(m.agent).toBe('z');
    expect(m.users).toEqual([]);
  });

  it.each([
    [null, 'not-an-object'],
    [[1], 'not-an-object'],
    [{ msg: {}, msg_id: '1', timestamp: 1 }, 'missing-topic'],
    [{ topic: 'a', msg: {}, timestamp: 1 }, 'missing-id'],
    [{ topic: 'a', id: '1', headers: { 'sent-at': '2024-01-01T00:00:00Z' } }, 'missing-body'],
    [{ topic: 'a', msg: {}, msg_id: '1', timestamp: 'yesterday' }, 'bad-timestamp'],
    [{ topic: 'a', body: {}, id: '1', headers: {} }, 'bad-timestamp'],
    [{ topic: 'a', body: {}, id: '1', headers: { 'sent-at': 'soon' } }, 'bad-timestamp'],
    [{ topic: 'a', body: {}, id: '1', headers: 'x' }, 'bad-headers'],
  ])('rejects %j with %s', (input, code) => {
    expect(() => parseMessage(input)).toThrow(MessageFormatError);
    try {
      parseMessage(input);
    } catch (e) {
      expect((e as MessageFormatError).code).toBe(code);
    }
  });
});

describe('awardMessage', () => {
  it('builds the award message with the user in its headers', () => {
    const m = awardMessage({
      topicPrefix: 'org.fedoraproject.prod',
      awardTopic: 'badges.badge.award',
      id: 'award-1',
      sentAt: new Date('2024-01-01T00:00:00Z'),
      badge: { id: 'tester-i', name: 'Tester I', description: 'd', imageUrl: 'https://x/t.png' },
      user: { nickname: 'Ralph', personId: 7 },
    });
    expect(m).toEqual({
      id: 'award-1',
      topic: 'org.fedoraproject.prod.badges.badge.award',
      body: {
        badge: {
          name: 'Tester I',
          description: 'd',
          image_url: 'https://x/t.png',
          badge_id: 'tester-i',
        },
        user: { username: 'Ralph', badges_user_id: 7 },
      },
      headers: {
        fedora_messaging_schema: 'tahrir.badge.award.v1',
        'sent-at': '2024-01-01T00:00:00.000Z',
        fedora_messaging_user_ralph: true,
      },
      sentAt: new Date('2024-01-01T00:00:00Z'),
      users: ['ralph'],
      packages: [],
      agent: null,
    });
  });

  it('round-trips through parseMessage', () => {
    const m = awardMessage({
      topicPrefix: 'org.fedoraproject.prod',
      awardTopic: 'fedbadges.badge.award',
      id: 'a2',
      sentAt: new Date('2024-01-01T00:00:00Z'),
      badge: { id: 'b', name: 'B', description: 'd', imageUrl: 'u' },
      user: { nickname: 'bob', personId: 1 },
    });
    expect(parseMessage({ topic: m.topic, body: m.body, id: m.id, headers: m.headers })).toEqual(m);
  });
});

describe('substitutions', () => {
  const envelope = legacyEnvelope(
    parseMessage({
      topic: 'org.fedoraproject.prod.FAS.group.member.sponsor',
      msg: {
        user: 'RalphB',
        agent: 'Admin',
        group: { name: 'Sponsors' },
        owners: ['A', 'b'],
        count: 3,
        attendees: { Alice: 1, bob: 2 },
      },
      msg_id: 'id-1',
      timestamp: 10,
    }),
  );
  const subs = constructSubstitutions(envelope);

  it('flattens by dots, lower-cases strings, keeps dicts reachable whole and lists raw', () => {
    expect(subs['topic']).toBe('org.fedoraproject.prod.fas.group.member.sponsor');
    expect(subs['msg.user']).toBe('ralphb');
    expect(subs['msg.group.name']).toBe('sponsors');
    expect(subs['msg.group']).toEqual({ name: 'Sponsors' });
    expect(subs['msg.owners']).toEqual(['A', 'b']);
    expect(subs['msg.count']).toBe(3);
    expect(subs['msg_id']).toBe('id-1');
    expect(subs['timestamp']).toBe(10);
  });

  it.each([
    ['%(msg.user)s', 'ralphb'],
    ['%(msg.owners)s', ['A', 'b']],
    ['%(msg.count)s', 3],
    ['%(msg.attendees)s', { Alice: 1, bob: 2 }],
    ['user %(msg.user)s in %(msg.group.name)s', 'user ralphb in sponsors'],
    ['%(msg.owners)s!', "['A', 'b']!"],
    ['%(msg.count)d%%', '3%'],
    ['no placeholders', 'no placeholders'],
    [12, 12],
    [
      ['%(msg.user)s', 'x'],
      ['ralphb', 'x'],
    ],
  ])('formats %j as %j', (template, expected) => {
    expect(formatArgs(template, subs)).toEqual(expected);
  });

  it('raises MissingKeyError naming the key', () => {
    expect(() => formatArgs('%(msg.nope)s', subs)).toThrow(MissingKeyError);
    expect(() => formatArgs('a %(msg.nope.deeper)s', subs)).toThrow(
      "missing substitution key 'msg.nope.deeper'",
    );
  });
});

describe('matchesFilter', () => {
  const row = {
    topic: 'org.fedoraproject.prod.bodhi.update.comment',
    users: ['alice', 'bob'],
    packages: ['kernel'],
    body: { comment: { text: 'Works for me', karma: 1 } },
    sentAt: new Date('2024-01-02T00:00:00Z'),
  };
  it.each([
    [{}, true],
    [{ topics: ['org.fedoraproject.prod.bodhi.update.comment', 'x'] }, true],
    [{ topics: ['bodhi.update.comment'] }, false],
    [{ notTopics: ['org.fedoraproject.prod.bodhi.update.comment'] }, false],
    [{ categories: ['bodhi'] }, true],
    [{ categories: ['koji'] }, false],
    [{ notCategories: ['bodhi'] }, false],
    [{ users: ['carol', 'bob'] }, true],
    [{ users: ['carol'] }, false],
    [{ notUsers: ['alice'] }, false],
    [{ packages: ['kernel'] }, true],
    [{ notPackages: ['kernel'] }, false],
    [{ contains: ['"karma": 1'] }, true],
    [{ contains: ['"karma":1'] }, false],
    [{ contains: ['nope', 'Works'] }, true],
    [{ start: new Date('2024-01-02T00:00:00Z') }, true],
    [{ start: new Date('2024-01-02T00:00:01Z') }, false],
    [{ end: new Date('2024-01-02T00:00:00Z') }, true],
    [{ end: new Date('2024-01-01T23:59:59Z') }, false],
    [
      {
        topics: ['org.fedoraproject.prod.bodhi.update.comment'],
        users: ['alice'],
        rowsPerPage: 1,
        page: 9,
      },
      true,
    ],
  ])('%j -> %s', (filter, expected) => {
    expect(matchesFilter(filter, row)).toBe(expected);
  });
});

describe('counterKeyOf', () => {
  it('ignores users, order, list order and duplicates', () => {
    const a = counterKeyOf({ topics: ['b', 'a', 'a'], users: ['x'], order: 'desc' });
    const b = counterKeyOf({ topics: ['a', 'b'], users: ['y'] });
    expect(a).not.toBeNull();
    expect(a).toBe(b);
    expect(counterKeyOf({ topics: ['a'], categories: ['c'], users: ['x'] })).not.toBe(a);
  });

  it.each([
    [{ topics: ['a'] }],
    [{ topics: ['a'], users: ['x', 'y'] }],
    [{ users: ['x'], start: new Date(0) }],
    [{ users: ['x'], end: new Date(0) }],
    [{ users: ['x'], page: 1 }],
    [{ users: ['x'], rowsPerPage: 10 }],
  ])('is null for %j', (filter) => expect(counterKeyOf(filter)).toBeNull());
});

describe('filterTopics', () => {
  it('gives the topics a filter is restricted to, or null', () => {
    expect(filterTopics({ topics: ['a', 'b'], users: ['x'] })).toEqual(['a', 'b']);
    expect(filterTopics({ topics: [] })).toBeNull();
    expect(filterTopics({ users: ['x'] })).toBeNull();
  });
});
