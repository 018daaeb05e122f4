/** Loading rule files: the sample Collection, our demo rules, and every load-time check. */
import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { RuleLoadError, badgeIdOf, loadCollection, loadRule, type RuleFileError } from './index';

const SAMPLE_DIR = join(__dirname, '../../../../../shared/collection/rules');
const DEMO_DIR = join(__dirname, '../../../demo/collection/rules');
const FIXTURES = join(__dirname, '__fixtures__');

function readDir(dir: string) {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((file) => ({ file, text: readFileSync(join(dir, file), 'utf8') }));
}

const HEADER = `
name: Test Badge
description: A badge for tests.
creator: tester
discussion: https://example.org/d
image_url: https://example.org/b.png
issuer_id: test
`;

function errorsOf(text: string): RuleFileError[] {
  try {
    loadRule('t.yml', text);
  } catch (e) {
    if (e instanceof RuleLoadError) return e.errors;
    throw e;
  }
  return [];
}

describe('the sample Collection (98 files, 2014 format)', () => {
  const files = readDir(SAMPLE_DIR);

  it('has 98 files and all of them load', () => {
    expect(files).toHaveLength(98);
    const { rules, errors } = loadCollection(files);
    expect(errors).toEqual([]);
    expect(rules).toHaveLength(98);
    expect(rules.every((r) => r.format === 'fedbadges-1')).toBe(true);
  });

  it('derives badge ids as Tahrir does', () => {
    const { rules } = loadCollection(files);
    const tester1 = rules.find((r) => r.file === 'tester-01.yml')!;
    expect(tester1.name).toBe('In Search of the Bull (Tester I)');
    expect(tester1.badgeId).toBe('in-search-of-the-bull-tester-i');
    expect(tester1.issuerId).toBe('fedora-project');
    expect(new Set(rules.map((r) => r.badgeId)).size).toBe(98);
  });
});

describe('our demo rules', () => {
  it('all load', () => {
    const files = readDir(DEMO_DIR);
    const { rules, errors } = loadCollection(files);
    expect(errors).toEqual([]);
    expect(rules).toHaveLength(files.length);
  });
});

describe('badgeIdOf', () => {
  it.each([
    ['In Search of the Bull (Tester I)', 'in-search-of-the-bull-tester-i'],
    ["Trust me, I know what I'm doing", 'trust-me,-i-know-what-im-doing'],
    ['Rock the web!', 'rock-the-web!'],
    ['Q&A *"best"?', 'qa-best'],
  ])('%s -> %s', (name, id) => expect(badgeIdOf(name)).toBe(id));
});

describe('field checks', () => {
  const body = `
trigger:
  topic: bodhi.update.comment
criteria:
  datanommer:
    filter: {topics: ["%(topic)s"]}
    operation: count
    condition: {greater than: 0}
`;

  it('loads a minimal 1.x rule', () => {
    const rule = loadRule('t.yml', HEADER + body);
    expect(rule.format).toBe('fedbadges-1');
    expect(rule.badgeId).toBe('test-badge');
  });

  it('names unknown and missing fields', () => {
    const errors = errorsOf(HEADER.replace(/^issuer_id.*$/m, 'colour: red') + body);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          field: 'colour',
          kind: 'invalid',
          reason: expect.stringContaining("unknown field 'colour'"),
        }),
        expect.objectContaining({
          field: 'issuer_id',
          reason: expect.stringContaining("missing required field 'issuer_id'"),
        }),
      ]),
    );
  });

  it.each([
    ['a trigger with two keys', 'trigger:\n  topic: a.b\n  category: c\n', 'trigger'],
    ['an unknown trigger', 'trigger:\n  topix: a.b\n', 'trigger.topix'],
    ['an operator without a list', 'trigger:\n  all: {topic: a.b}\n', 'trigger.all'],
    ['a trigger lambda syntax error', 'trigger:\n  lambda: "msg[\'a\' =="\n', 'trigger.lambda'],
    [
      'a trigger lambda with an unknown name',
      'trigger:\n  lambda: "message.topic"\n',
      'trigger.lambda',
    ],
  ])('rejects %s', (_what, trigger, field) => {
    const text = HEADER + trigger + body.replace(/^trigger:\n {2}topic: .*\n/m, '');
    expect(errorsOf(text).map((e) => e.field)).toContain(field);
  });

  it.each([
    [
      'an unknown condition',
      'condition: {more than: 3}',
      'criteria.datanommer.condition.more than',
    ],
    [
      'two conditions',
      'condition: {greater than: 1, less than: 5}',
      'criteria.datanommer.condition',
    ],
    [
      'a bad condition lambda',
      'condition: {lambda: "value >"}',
      'criteria.datanommer.condition.lambda',
    ],
    [
      'a bad operation lambda',
      'operation: {lambda: "len(query.all(]"}',
      'criteria.datanommer.operation.lambda',
    ],
    ['an unknown operation', 'operation: sum', 'criteria.datanommer.operation'],
    ['an unknown filter key', 'filter: {topicz: [a]}', 'criteria.datanommer.filter.topicz'],
  ])('rejects %s', (_what, replacement, field) => {
    const key = replacement.split(':')[0];
    const text = (HEADER + body).replace(new RegExp(`^    ${key}:.*$`, 'm'), `    ${replacement}`);
    const errors = errorsOf(text);
    expect(errors.map((e) => e.field)).toContain(field);
    expect(errors.every((e) => e.file === 't.yml')).toBe(true);
  });

  it('checks operation lambdas that hold placeholders with a dummy value', () => {
    const ok = (HEADER + body).replace(
      /^ {4}operation:.*$/m,
      `    operation: {lambda: "len([m for m in query.all() if m.msg['x'] == '%(msg.user)s'])"}`,
    );
    expect(() => loadRule('t.yml', ok)).not.toThrow();
  });

  it('reports other criteria backends (pkgdb) as unsupported', () => {
    const text = `${HEADER}trigger:\n  topic: x.y\ncriteria:\n  pkgdb:\n    owns:\n      user: ralph\n      packages: ["%(msg.package)s"]\n`;
    expect(errorsOf(text)).toEqual([
      expect.objectContaining({ field: 'criteria.pkgdb', kind: 'unsupported' }),
    ]);
  });

  it('reports datanommer filters the history lacks (agents) as unsupported', () => {
    const text = (HEADER + body).replace(
      'filter: {topics: ["%(topic)s"]}',
      'filter: {agents: [x]}',
    );
    expect(errorsOf(text)).toEqual([
      expect.objectContaining({ field: 'criteria.datanommer.filter.agents', kind: 'unsupported' }),
    ]);
  });

  it('reports YAML syntax errors and non-mappings', () => {
    expect(errorsOf('name: [unclosed')[0]).toMatchObject({ field: null, kind: 'invalid' });
    expect(errorsOf('- a list')[0].reason).toMatch(/mapping/);
  });

  it('reads flags as PyYAML does (YAML 1.1: Yes is true, no is false) despite %YAML 1.2', () => {
    const withFlag = (flag: string) =>
      loadRule(
        't.yml',
        `%YAML 1.2\n---\n${HEADER}${body}recipient: "%(msg.user)s"\nrecipient_nick2fas: ${flag}\n`,
      );
    expect((withFlag('Yes') as unknown as { converters: string[] }).converters).toEqual(['nick']);
    expect((withFlag('no') as unknown as { converters: string[] }).converters).toEqual([]);
  });

  it('keeps good files when one is broken, and refuses a second file for the same badge', () => {
    const good = { file: 'a.yml', text: HEADER + body };
    const { rules, errors } = loadCollection([
      good,
      { file: 'broken.yml', text: 'name: [' },
      { file: 'dup.yml', text: HEADER + body },
    ]);
    expect(rules.map((r) => r.file)).toEqual(['a.yml']);
    expect(errors.map((e) => e.file)).toEqual(['broken.yml', 'dup.yml']);
  });
});

describe('2.x format fixtures', () => {
  it('load', () => {
    const { rules, errors } = loadCollection(readDir(FIXTURES));
    expect(errors).toEqual([]);
    expect(rules.length).toBeGreaterThanOrEqual(3);
    expect(rules.every((r) => r.format === 'fedbadges-2')).toBe(true);
  });

  it('compile previous.filter expressions at load (field path in the error)', () => {
    const text = `${HEADER}trigger:\n  topic: a.b\nprevious:\n  filter:\n    users: ["recipient +"]\n  operation: count\ncondition:\n  greater than or equal to: 2\n`;
    expect(errorsOf(text).map((e) => e.field)).toEqual(['previous.filter.users[0]']);
  });
});

describe('counterFilters', () => {
  const rule = (filter: string, operation = 'count') =>
    loadRule(
      't.yml',
      `${HEADER}trigger: {topic: a.b}\ncriteria:\n  datanommer:\n    filter: ${filter}\n    operation: ${operation}\n    condition: {greater than: 0}\n`,
    );

  it.each([
    ['{topics: [org.x.a.b], users: ["%(msg.user)s"]}', [{ topics: ['org.x.a.b'] }]],
    [
      '{categories: [bodhi], not_users: [bodhi], users: ["%(msg.user)s"]}',
      [{ categories: ['bodhi'], notUsers: ['bodhi'] }],
    ],
    ['{topics: ["%(topic)s"], users: ["%(msg.user)s"]}', []],
    ['{topics: [org.x.a.b], users: ["%(msg.a)s", "%(msg.b)s"]}', []],
    ['{topics: [org.x.a.b], users: [ralph]}', []],
    ['{topics: [org.x.a.b], users: ["%(msg.user)s"], rows_per_page: 10}', []],
    ['{topics: [org.x.a.b], users: ["%(msg.user)s"], start: 0}', []],
    ['{topics: [org.x.a.b], users: {lambda: "[1]"}}', []],
  ])('%s -> %j', (filter, expected) => {
    expect(rule(filter).counterFilters).toEqual(expected);
  });

  it('are only taken from count operations', () => {
    expect(
      rule('{topics: [org.x.a.b], users: ["%(msg.user)s"]}', '{lambda: query.count()}')
        .counterFilters,
    ).toEqual([]);
  });

  it('are empty for the tester series (their topic is substituted too)', () => {
    const { rules } = loadCollection(readDir(SAMPLE_DIR));
    expect(rules.find((r) => r.file === 'tester-01.yml')!.counterFilters).toEqual([]);
  });
});
