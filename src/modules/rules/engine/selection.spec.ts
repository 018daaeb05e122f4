import { rowObject } from './prepared';
import type { HistoryRow } from './ports';
import { compile, PyCallable, PyError, PyNamespace } from './python';
import { bucketKey, bucketKeysFor, countByScan, Selection } from './selection';

const KARMA = `len([msg for msg in query.all() if msg.msg['comment'].get('update_submitter', None) == "%(msg.comment.update_submitter)s" and msg.msg['comment']['karma'] is 1])`;
const NEW_BUILDS = `len([msg for msg in query.all() if msg.msg['new'] is 1])`;
const TWO_VALUES = `len([m for m in query.all() if m.msg['a'] == "%(x)s" if m.msg['b'] == '%(y)s' and m.msg['c']])`;

function row(i: number, msg: unknown): HistoryRow {
  return {
    id: `r${i}`,
    topic: 'org.fedoraproject.prod.bodhi.update.comment',
    msg,
    headers: {},
    timestamp: new Date(Date.UTC(2026, 0, 1, 0, i)),
    users: [],
    packages: [],
  };
}

/** What the lambda itself gives over the rows, evaluated as the engine does without counters. */
function python(text: string, rows: HistoryRow[]): { value: unknown } | { error: string } {
  const objects = rows.map(rowObject);
  const query = new PyNamespace('Query', {
    all: new PyCallable('all', () => [...objects]),
    count: new PyCallable('count', () => objects.length),
    first: new PyCallable('first', () => objects[0] ?? null),
  });
  try {
    return { value: compile(text, ['query']).evaluate({ query }) };
  } catch (e) {
    if (e instanceof PyError) return { error: e.pyType };
    throw e;
  }
}

/** The counter answer: buckets summed once, then read by key, as the runtime does. */
function byBuckets(selection: Selection, rows: HistoryRow[], values: string[]) {
  const buckets = new Map<string, number>();
  for (const r of rows) {
    const b = selection.bucketOf(rowObject(r));
    if (b) buckets.set(bucketKey(b), (buckets.get(bucketKey(b)) ?? 0) + 1);
  }
  const keys = bucketKeysFor(values);
  return {
    count: buckets.get(keys.count) ?? 0,
    errors: keys.errors.reduce((n, k) => n + (buckets.get(k) ?? 0), 0),
  };
}

/** A small deterministic generator, so the subsets below are the same on every run. */
function* subsets<T>(items: T[], count: number, seed = 7): Generator<T[]> {
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < count; i++) yield items.filter(() => next() < 0.45);
}

describe('Selection.of: which operation lambdas are selections', () => {
  it.each([
    [KARMA, 1],
    [NEW_BUILDS, 0],
    [TWO_VALUES, 2],
    ['query.count()', 0],
    ['len(query.all())', 0],
    [`len([m for m in query.all() if m.msg.get('x', {}).get('y') != 'z' and not m.msg['w']])`, 0],
    [`len([m for m in query.all() if "%(u)s" == m.msg['owner']])`, 1],
  ])('%s: a selection with %d compared value(s)', (source, arity) => {
    expect(Selection.of(source)?.arity).toBe(arity);
  });

  it.each([
    ['len([m.msg for m in query.all()])', 'the element is evaluated per row'],
    ['sum(1 for m in query.all())', 'not len([...])'],
    [`len([m for m in query.all() if m.msg['a'] != "%(x)s"])`, 'a value compared by !='],
    [`len([m for m in query.all() if "%(x)s" in m.msg['a']])`, 'a value tested by in'],
    [`len([m for m in query.all() if m.msg['a'] == "%(x)s" or m.msg['b']])`, 'or'],
    [`len([m for m in query.all() if query.count() > 1])`, 'a term naming query'],
    [
      `len([m for m in query.all() if m.msg['a'].startswith('100%%')])`,
      'formatting changes a test',
    ],
    [`len([m for m in query.all() for n in query.all()])`, 'two generators'],
    ['max([m.timestamp for m in query.all()])', 'not a count'],
    ['len([m for m in query.all() if m.msg[', 'a syntax error'],
  ])('%s is not (%s)', (source) => {
    expect(Selection.of(source)).toBeNull();
  });
});

describe('Selection.bind: the values a formatted lambda compares with', () => {
  const selection = Selection.of(KARMA)!;

  it('reads them from the formatted text', () => {
    expect(selection.bind(KARMA.replace('%(msg.comment.update_submitter)s', 'ralph'))).toEqual([
      'ralph',
    ]);
    expect(
      Selection.of(TWO_VALUES)!.bind(TWO_VALUES.replace('%(x)s', 'a').replace('%(y)s', "b'")),
    ).toBeNull(); // the quote ends the literal early: the text is no longer the same lambda
    expect(
      Selection.of(TWO_VALUES)!.bind(TWO_VALUES.replace('%(x)s', 'a').replace('%(y)s', 'b')),
    ).toEqual(['a', 'b']);
  });

  it('refuses a formatted text that is not the same lambda with other values', () => {
    expect(selection.bind(KARMA.replace('%(msg.comment.update_submitter)s', 'a" or "b'))).toBe(
      null,
    );
    expect(selection.bind(KARMA.replace("'karma'", "'other'"))).toBeNull();
    expect(selection.bind('not python at all (')).toBeNull();
    expect(Selection.of(NEW_BUILDS)!.bind(NEW_BUILDS)).toEqual([]);
  });
});

describe('a counted selection answers what the lambda over the rows answers', () => {
  const karmaRows = [
    { comment: { update_submitter: 'alice', karma: 1 } },
    { comment: { update_submitter: 'alice', karma: -1 } },
    { comment: { update_submitter: 'Alice', karma: 1 } },
    { comment: { update_submitter: 'bob', karma: 1 } },
    { comment: { update_submitter: 'bob', karma: 1 } },
    { comment: { karma: 1 } },
    { comment: { update_submitter: 'alice' } }, // KeyError, for alice only
    { comment: { update_submitter: 'alice', karma: true } }, // True is 1: False
    { comment: { update_submitter: 'alice', karma: 1.0 } }, // 1.0 is 1: False
    { comment: { update_submitter: ['alice'], karma: 1 } },
    { comment: 'a plain text comment' }, // AttributeError (str has no get), for everyone
    { comment: { update_submitter: "o'neil", karma: 1 } },
  ].map((m, i) => row(i, m));

  const cases: [string, string, HistoryRow[], string[][]][] = [
    [
      'packager karma (one compared value)',
      KARMA,
      karmaRows,
      [['alice'], ['bob'], ['carol'], ['Alice'], ["o'neil"], ['']],
    ],
    [
      'new builds (no compared value)',
      NEW_BUILDS,
      [{ new: 1 }, { new: 1.0 }, { new: true }, { new: '1' }, { new: 1 }, {}, []].map((m, i) =>
        row(i, m),
      ),
      [[]],
    ],
    [
      'two compared values and a truthiness test',
      TWO_VALUES,
      [
        { a: 'x', b: 'y', c: 1 },
        { a: 'x', b: 'y', c: 0 },
        { a: 'x', b: 'y', c: [] },
        { a: 'x', b: 'z', c: 1 },
        { a: 'x', b: 'y' },
        { a: 'w', c: 1 },
        { b: 'y', c: 1 },
        { a: 'x', b: 'y', c: 'yes' },
      ].map((m, i) => row(i, m)),
      [
        ['x', 'y'],
        ['x', 'z'],
        ['w', 'y'],
        ['q', 'q'],
      ],
    ],
  ];

  it.each(cases)('%s, on many subsets of the rows', (_, template, rows, valueSets) => {
    const selection = Selection.of(template)!;
    let compared = 0;
    let raised = 0;
    for (const subset of subsets(rows, 60)) {
      for (const values of valueSets) {
        let text = template;
        for (const [i, placeholder] of (template.match(/%\([^)]*\)s/g) ?? []).entries())
          text = text.replace(placeholder, values[i]);
        const bound = selection.bind(text);
        expect(bound).toEqual(values);
        const expected = python(text, subset);
        const scanned = countByScan(selection, subset.map(rowObject), values);
        expect(byBuckets(selection, subset, values)).toEqual(scanned);
        if ('error' in expected) {
          raised++;
          expect(scanned.errors).toBeGreaterThan(0);
        } else {
          expect(scanned).toEqual({ count: Number(expected.value), errors: 0 });
        }
        compared++;
      }
    }
    expect(compared).toBe(60 * valueSets.length);
    // The subsets include rows the condition raises on, and rows it does not.
    expect(raised).toBeGreaterThan(0);
    expect(raised).toBeLessThan(compared);
  });

  it('query.count() and len(query.all()) count every row', () => {
    const rows = karmaRows.slice(0, 5);
    for (const source of ['query.count()', 'len(query.all())']) {
      expect(countByScan(Selection.of(source)!, rows.map(rowObject), [])).toEqual({
        count: 5,
        errors: 0,
      });
    }
  });
});
