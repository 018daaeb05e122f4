/**
 * The interpreter against CPython: every case of cpython-cases/cases.json was evaluated
 * by CPython 3.11 (cpython-cases/generate.py); here the same expression with the same
 * bindings must give the same value (same Python types, same contents) or raise the
 * same exception type.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { PyCallable, PyError, PyHostObject, PyNamespace, compile, pyRepr } from './index';
import { floatOf, numKind } from './numbers';
import { iterate } from './ops';
import { Runtime } from './runtime';
import { PyDict, PyDictView, PySet, PyTuple, dictEntries, mkFloat, typeName } from './values';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Case {
  group: string;
  expr: string;
  params: Record<string, Json>;
  result?: Json;
  error?: string;
}

interface Fixture {
  python: string;
  messages: Record<string, Json>;
  histories: Record<string, Json>;
  cases: Case[];
}

const fixture = JSON.parse(
  readFileSync(join(__dirname, 'cpython-cases', 'cases.json'), 'utf8'),
) as Fixture;

/** A datanommer query as the rules engine will offer it: `.all()` rows with `.msg`. */
class TestQuery extends PyHostObject {
  readonly pyTypeName = 'Query';

  constructor(
    private readonly bodies: unknown[],
    private readonly topic: string,
  ) {
    super();
  }

  pyGetAttr(name: string): unknown {
    if (name === 'all') {
      return new PyCallable('all', () =>
        this.bodies.map((msg) => new PyNamespace('Row', { msg, topic: this.topic })),
      );
    }
    if (name === 'count') return new PyCallable('count', () => this.bodies.length);
    return undefined;
  }
}

class MatchRepr {
  constructor(readonly repr: string) {}
}

class ViewItems {
  constructor(
    readonly kind: string,
    readonly items: unknown[],
  ) {}
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function decode(value: Json): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(decode);
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0].startsWith('$')) {
    const body = value[keys[0]];
    switch (keys[0]) {
      case '$int':
        return BigInt(body as string);
      case '$float': {
        const text = body as string;
        const x =
          text === 'inf'
            ? Infinity
            : text === '-inf'
              ? -Infinity
              : text === 'nan'
                ? NaN
                : Number(text);
        return mkFloat(x);
      }
      case '$tuple':
        return new PyTuple((body as Json[]).map(decode));
      case '$set':
        return new PySet((body as Json[]).map(decode));
      case '$frozenset':
        return new PySet((body as Json[]).map(decode), true);
      case '$dict':
        return PyDict.fromEntries((body as [Json, Json][]).map(([k, v]) => [decode(k), decode(v)]));
      case '$dict_keys':
      case '$dict_values':
      case '$dict_items':
        return new ViewItems(keys[0].slice(6), (body as Json[]).map(decode));
      case '$match':
        return new MatchRepr(body as string);
      case '$ref':
        return decode(fixture.messages[body as string]);
      case '$query': {
        const spec = body as { history?: string; rows?: Json; topic: string };
        const rows = decode(spec.history ? fixture.histories[spec.history] : (spec.rows as Json));
        return new TestQuery(rows as unknown[], spec.topic);
      }
      case '$message':
        return new PyNamespace('Message', decode(body) as Record<string, unknown>);
    }
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) setOwn(out, key, decode(value[key]));
  return out;
}

/** Same Python type and same contents (dict order included, set order not). */
function samePy(actual: unknown, expected: unknown): boolean {
  if (expected instanceof MatchRepr) {
    return (
      actual instanceof PyHostObject &&
      actual.pyTypeName === 're.Match' &&
      pyRepr(actual) === expected.repr
    );
  }
  if (expected instanceof ViewItems) {
    return (
      actual instanceof PyDictView &&
      actual.kind === expected.kind &&
      samePy([...iterate(Runtime.unbounded(), actual)], expected.items)
    );
  }
  if (typeName(actual) !== typeName(expected)) return false;
  const kind = numKind(actual);
  if (kind === 'int') return typeof actual === 'boolean' ? actual === expected : actual == expected;
  if (kind === 'float') {
    const a = floatOf(actual);
    const e = floatOf(expected);
    return Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e));
  }
  if (actual === null || actual === undefined) return true;
  if (typeof actual === 'string') return actual === expected;
  if (Array.isArray(actual) || actual instanceof PyTuple) {
    const a = Array.isArray(actual) ? actual : actual.items;
    const e = Array.isArray(expected) ? expected : (expected as PyTuple).items;
    return a.length === e.length && a.every((item, i) => samePy(item, e[i]));
  }
  if (actual instanceof PySet) {
    const e = expected as PySet;
    return actual.size === e.size && [...e.values()].every((item) => actual.has(item));
  }
  if (typeName(actual) === 'dict') {
    const a = dictEntries(actual as PyDict);
    const e = dictEntries(expected as PyDict);
    return (
      a.length === e.length && a.every(([k, v], i) => samePy(k, e[i][0]) && samePy(v, e[i][1]))
    );
  }
  return false;
}

function describeExpected(c: Case): string {
  return c.error !== undefined ? `raises ${c.error}` : JSON.stringify(c.result);
}

const titled = fixture.cases.map((c) => {
  const refs = Object.entries(c.params)
    .filter(
      ([, v]) =>
        v !== null && typeof v === 'object' && !Array.isArray(v) && ('$ref' in v || '$query' in v),
    )
    .map(([k, v]) => `${k}=${JSON.stringify(Object.values(v as object)[0])}`);
  return [`${c.group}: ${c.expr}${refs.length ? ` [${refs.join(' ')}]` : ''}`, c] as const;
});

describe(`the interpreter agrees with CPython ${fixture.python}`, () => {
  it('has the whole table', () => {
    expect(fixture.cases.length).toBeGreaterThan(2000);
  });

  it.each(titled)('%s', (_title, c) => {
    const params = Object.keys(c.params);
    const args: Record<string, unknown> = {};
    for (const p of params) args[p] = decode(c.params[p]);
    let outcome: { value?: unknown; error?: unknown };
    try {
      outcome = { value: compile(c.expr, params).evaluate(args) };
    } catch (error) {
      outcome = { error };
    }
    if (c.error !== undefined) {
      if (!(outcome.error instanceof PyError)) {
        throw new Error(
          `expected ${c.error}, got ${outcome.error ? String(outcome.error) : `the value ${pyRepr(outcome.value)}`}`,
        );
      }
      expect(outcome.error.pyType).toBe(c.error);
      return;
    }
    if (outcome.error !== undefined) {
      throw new Error(`expected ${describeExpected(c)}, got ${String(outcome.error)}`);
    }
    const expected = decode(c.result as Json);
    if (!samePy(outcome.value, expected)) {
      throw new Error(
        `expected ${describeExpected(c)}, got ${typeName(outcome.value)} ${pyRepr(outcome.value)}`,
      );
    }
  });
});
