/**
 * A hostile rule must not reach JavaScript globals, prototypes or host internals, nor
 * hang the process or exhaust its memory.
 */
import { MAX_NESTING, PyError, PyHostObject, PyNamespace, compile, pyRepr } from './index';

function run(source: string, args: Record<string, unknown> = {}, stepLimit?: number): unknown {
  return compile(source, Object.keys(args)).evaluate(args, stepLimit ? { stepLimit } : undefined);
}

function failure(source: string, args: Record<string, unknown> = {}, stepLimit?: number): PyError {
  try {
    const value = run(source, args, stepLimit);
    throw new Error(`expected a PyError, got ${pyRepr(value)}`);
  } catch (e) {
    if (!(e instanceof PyError)) throw e;
    return e;
  }
}

describe('no way out to JavaScript', () => {
  const msg = JSON.parse('{"msg": {"__proto__": "own", "group": "x"}, "constructor": 1}') as object;

  it.each([
    ["{}['constructor']", 'KeyError', "'constructor'"],
    ["{}['__proto__']", 'KeyError', "'__proto__'"],
    ["{}['toString']", 'KeyError', "'toString'"],
    ["[]['length']", 'TypeError', 'list indices must be integers or slices, not str'],
    ["''['length']", 'TypeError', 'string indices must be integers'],
    ['[].length', 'AttributeError', "'list' object has no attribute 'length'"],
    ["''.constructor", 'AttributeError', "'str' object has no attribute 'constructor'"],
    ['(1).toString', 'AttributeError', "'int' object has no attribute 'toString'"],
    ['{}.hasOwnProperty', 'AttributeError', "'dict' object has no attribute 'hasOwnProperty'"],
    ['len.call', 'AttributeError', "'builtin_function_or_method' object has no attribute 'call'"],
    ['json.parse', 'AttributeError', "module 'json' has no attribute 'parse'"],
    ['re.constructor', 'AttributeError', "module 're' has no attribute 'constructor'"],
    ['str.prototype', 'AttributeError', "type object 'str' has no attribute 'prototype'"],
    ["getattr('', 'constructor')", 'AttributeError', "'str' object has no attribute 'constructor'"],
    ["getattr('', '__class__')", 'UnsupportedError', "special attribute '__class__'"],
    ["getattr(json, '__dict__', 1)", 'UnsupportedError', "special attribute '__dict__'"],
    ["hasattr('', '__len__')", 'UnsupportedError', "special attribute '__len__'"],
    ["'{0.__class__}'.format(1)", 'UnsupportedError', "special attribute '__class__'"],
    [
      "'{0.constructor}'.format(1)",
      'AttributeError',
      "'int' object has no attribute 'constructor'",
    ],
    ["'%(constructor)s' % {}", 'KeyError', "'constructor'"],
    ['globalThis', 'NameError', "name 'globalThis' is not defined"],
    ['process', 'NameError', "name 'process' is not defined"],
    ['require', 'NameError', "name 'require' is not defined"],
    ['constructor', 'NameError', "name 'constructor' is not defined"],
    ['__proto__', 'NameError', "name '__proto__' is not defined"],
    ['toString', 'NameError', "name 'toString' is not defined"],
    ['__builtins__', 'NameError', "name '__builtins__' is not defined"],
    ['__import__', 'UnsupportedError', "the builtin '__import__' is not supported"],
    ["eval('1')", 'UnsupportedError', "the builtin 'eval' is not supported"],
    ["open('/etc/passwd')", 'UnsupportedError', "the builtin 'open' is not supported"],
    ['globals()', 'UnsupportedError', "the builtin 'globals' is not supported"],
    ['().__class__', 'UnsupportedError', "special attribute '__class__'"],
    ['[].__class__.__base__', 'UnsupportedError', "special attribute '__base__'"],
  ])('%s raises %s', (source, pyType, message) => {
    const error = failure(source);
    expect(error.pyType).toBe(pyType);
    expect(error.pyMessage).toContain(message);
  });

  it.each([
    ["msg['msg']['__proto__']", 'own'],
    ["msg['msg'].get('__proto__')", 'own'],
    ["msg.get('constructor')", 1],
    ["msg['msg'].get('constructor')", null],
    ["msg['msg'].get('toString', 'none')", 'none'],
    ["'hasOwnProperty' in msg", false],
    ["'__proto__' in msg['msg']", true],
    ["sorted(msg['msg'].keys())", ['__proto__', 'group']],
    ["{'__proto__': 1}['__proto__']", 1],
    ["dict(__proto__=2)['__proto__']", 2],
    ["{'constructor': 3}.get('constructor')", 3],
  ])('%s reads own keys only: %p', (source, expected) => {
    expect(run(source, { msg })).toEqual(expected);
  });

  it('keeps __proto__ keys of dicts it builds as plain keys', () => {
    const result = run("{'__proto__': {'polluted': True}}");
    expect(pyRepr(result)).toBe("{'__proto__': {'polluted': True}}");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('does not let a JavaScript function or object be called or looked into', () => {
    const fn = jest.fn(() => 'called');
    expect(failure('f()', { f: fn }).pyMessage).toBe("'function' object is not callable");
    expect(failure('f.call', { f: fn }).pyType).toBe('AttributeError');
    expect(fn).not.toHaveBeenCalled();
    class Secret {
      token = 's3cret';
    }
    expect(failure('s.token', { s: new Secret() }).pyMessage).toBe(
      "'object' object has no attribute 'token'",
    );
    expect(failure("s['token']", { s: new Secret() }).pyType).toBe('TypeError');
    expect(failure('m.size', { m: new Map([['a', 1]]) }).pyType).toBe('AttributeError');
    expect(run('len(str(s))', { s: new Secret() })).toBe(8);
  });

  it('never asks a host object for a special attribute', () => {
    const asked: string[] = [];
    class Spy extends PyHostObject {
      readonly pyTypeName = 'Spy';
      pyGetAttr(name: string): unknown {
        asked.push(name);
        return name === 'ok' ? 1 : undefined;
      }
    }
    const spy = new Spy();
    expect(run('o.ok', { o: spy })).toBe(1);
    expect(failure("getattr(o, '__init__')", { o: spy }).pyType).toBe('UnsupportedError');
    expect(failure('o.missing', { o: spy }).pyMessage).toBe(
      "'Spy' object has no attribute 'missing'",
    );
    expect(asked).toEqual(['ok', 'missing']);
  });

  it('refuses the methods that would change the caller’s data', () => {
    const data = { list: [1], dict: { a: 1 } };
    for (const source of [
      'd["list"].append(2)',
      'd["list"].sort()',
      'd["dict"].update({"b": 2})',
      'd["dict"].pop("a")',
      'd["dict"].clear()',
      '{1}.add(2)',
    ]) {
      expect(failure(source, { d: data }).pyType).toBe('UnsupportedError');
    }
    expect(data).toEqual({ list: [1], dict: { a: 1 } });
  });
});

describe('the step budget', () => {
  it.each([
    'sum(range(10 ** 12))',
    'len([x for x in range(10 ** 6) for y in range(10 ** 6)])',
    'any(x < 0 for x in range(10 ** 15))',
    'sorted(range(10 ** 7))',
    'list(range(10 ** 8))',
    "'-'.join(str(i) for i in range(10 ** 6))",
    'max(x for x in range(10 ** 9))',
    "len(re.findall('a', 'a' * 5000000))",
    "sum(len(s.replace('a', 'bb')) for s in ['a' * 1000000] * 500)",
  ])(
    'stops %s with StepLimitExceeded',
    (source) => {
      const error = failure(source);
      expect(error.pyType).toBe('StepLimitExceeded');
      expect(error.pyMessage).toBe('evaluation exceeded its budget of 100000 steps');
    },
    // Jest fails a case that runs longer: the budget must stop each well before.
    5000,
  );

  it('is configurable per call and fresh for every evaluation', () => {
    const expr = compile('sum(1 for x in range(n))', ['n']);
    expect(expr.evaluate({ n: 20_000 })).toBe(20_000);
    expect(expr.evaluate({ n: 20_000 })).toBe(20_000);
    expect(() => expr.evaluate({ n: 20_000 }, { stepLimit: 1000 })).toThrow(
      'StepLimitExceeded: evaluation exceeded its budget of 1000 steps',
    );
    expect(expr.evaluate({ n: 500_000 }, { stepLimit: 2_000_000 })).toBe(500_000);
  });

  it('counts the rows a history lambda walks', () => {
    const rows = Array.from(
      { length: 2000 },
      (_, i) => new PyNamespace('Row', { msg: { new: i % 3 } }),
    );
    const all = compile("len([m for m in rows if m.msg['new'] is 1])", ['rows']);
    expect(all.evaluate({ rows })).toBe(667);
    expect(() => all.evaluate({ rows }, { stepLimit: 5000 })).toThrow('StepLimitExceeded');
  });
});

describe('size limits', () => {
  it.each([
    ["'x' * 10 ** 9", 'str of 1000000000 characters'],
    ['[0] * 10 ** 9', 'list of 1000000000 items'],
    ['(0,) * 10 ** 7', 'tuple of 10000000 items'],
    ['10 ** 10 ** 8', 'int of about'],
    ['2 ** (2 ** 40)', 'int of about'],
    ['1 << 10 ** 6', 'int of more than'],
    ["'%1000000000d' % 1", 'width or precision of 1000000000'],
    ["'{:>1000000000}'.format(1)", 'width or precision of 1000000000'],
    ["'{:.1000000}f'.format(1)", 'width or precision of 1000000'],
    ["'a'.ljust(10 ** 9)", 'str of 1000000000 characters'],
    ["'a'.zfill(10 ** 9)", 'str of 1000000000 characters'],
    ['json.dumps([1], indent=10 ** 9)', 'indent of 1000000000'],
    ["('x' * 10 ** 6).replace('x', 'x' * 1000)", 'str of 1000000000 characters'],
    ["('x' * 5000000) + ('y' * 5000001)", 'str of 10000001 characters'],
    ['[0] * 900000 + [1] * 900000', 'list of 1800000 items'],
  ])('refuses %s', (source, message) => {
    const error = failure(source, {}, 10_000_000);
    expect(error.pyType).toBe('MemoryError');
    expect(error.pyMessage).toContain(message);
  });

  it('builds large but bounded values', () => {
    expect(run("len('x' * 10 ** 6)")).toBe(1_000_000);
    expect(run('len([0] * 10 ** 5)')).toBe(100_000);
    expect(run('len(str(2 ** 10000))')).toBe(3011);
  });
});

describe('nesting limits', () => {
  it.each([
    ['parentheses', `${'('.repeat(MAX_NESTING + 1)}1${')'.repeat(MAX_NESTING + 1)}`],
    ['lists', `${'['.repeat(MAX_NESTING + 1)}${']'.repeat(MAX_NESTING + 1)}`],
    ['unary minus', `${'-'.repeat(MAX_NESTING + 1)}1`],
    ['not', `${'not '.repeat(MAX_NESTING + 1)}x`],
    ['subscripts', `${'x['.repeat(MAX_NESTING + 1)}0${']'.repeat(MAX_NESTING + 1)}`],
    ['calls', `${'len('.repeat(MAX_NESTING + 1)}x${')'.repeat(MAX_NESTING + 1)}`],
    ['conditionals', `${'1 if x else ('.repeat(MAX_NESTING + 1)}0${')'.repeat(MAX_NESTING + 1)}`],
    ['powers', `${'2 ** '.repeat(MAX_NESTING + 1)}1`],
    ['a deep hostile expression', `${'('.repeat(100_000)}1${')'.repeat(100_000)}`],
  ])('refuses too deeply nested %s with a SyntaxError', (_what, source) => {
    let error: unknown;
    try {
      compile(source, ['x']);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PyError);
    expect((error as PyError).pyType).toBe('SyntaxError');
    expect((error as PyError).pyMessage).toBe(
      `expression nested too deeply (more than ${MAX_NESTING} levels)`,
    );
    expect((error as PyError).position?.line).toBe(1);
  });

  it('accepts nesting up to the limit', () => {
    const depth = MAX_NESTING - 1;
    expect(run(`${'('.repeat(depth)}1${')'.repeat(depth)}`)).toBe(1);
    expect(run(`${'-'.repeat(depth)}1`)).toBe(-1);
  });

  it('stops at cyclic or absurdly deep host data instead of overflowing the stack', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    expect(run('repr(d)', { d: cyclic })).toBe("{'name': 'loop', 'self': {...}}");
    expect(failure('json.dumps(d)', { d: cyclic }).pyType).toBe('ValueError');
    let deep: unknown = 0;
    for (let i = 0; i < 1000; i++) deep = [deep];
    expect(failure('str(d)', { d: deep }).pyType).toBe('RecursionError');
    expect(failure('d == d2', { d: deep, d2: JSON.parse(JSON.stringify(deep)) }).pyType).toBe(
      'RecursionError',
    );
    expect(failure('json.loads(s)', { s: '['.repeat(1000) + ']'.repeat(1000) }).pyType).toBe(
      'RecursionError',
    );
  });
});
