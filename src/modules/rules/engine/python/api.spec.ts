/** The public API the rules engine codes against, and the host-object protocol. */
import {
  DEFAULT_STEP_LIMIT,
  PyCallable,
  PyDict,
  PyError,
  PyFloat,
  PyHostObject,
  PyNamespace,
  PySet,
  PyTuple,
  compile,
  pyEquals,
  pyRepr,
  pyStr,
  toJs,
  truthy,
  typeName,
} from './index';

describe('compile and evaluate', () => {
  it('compiles once and evaluates many times with different bindings', () => {
    const expr = compile("msg.get('msg', {}).get('group', None) == 'sponsors'", ['msg']);
    expect(expr.source).toBe("msg.get('msg', {}).get('group', None) == 'sponsors'");
    expect(expr.params).toEqual(['msg']);
    expect(expr.evaluate({ msg: { msg: { group: 'sponsors' } } })).toBe(true);
    expect(expr.evaluate({ msg: { msg: { group: 'packager' } } })).toBe(false);
    expect(expr.evaluate({ msg: {} })).toBe(false);
  });

  it('wants exactly the declared parameters', () => {
    const expr = compile('a + b', ['a', 'b']);
    expect(() => expr.evaluate({ a: 1 })).toThrow("TypeError: missing value for parameter 'b'");
    expect(() => expr.evaluate({ a: 1, b: 2, c: 3 })).toThrow(
      "TypeError: unexpected argument 'c' (parameters: a, b)",
    );
    expect(compile('a is None', ['a']).evaluate({ a: undefined })).toBe(true);
  });

  it('refuses a budget that is not a positive number', () => {
    const expr = compile('1', []);
    for (const stepLimit of [0, -1, Number.NaN]) {
      expect(() => expr.evaluate({}, { stepLimit })).toThrow(RangeError);
    }
    expect(DEFAULT_STEP_LIMIT).toBe(100_000);
  });

  it('returns the values it was given, not copies', () => {
    const body = { update: { builds: [{ nvr: 'a-1-1' }] } };
    const msg = { msg: body };
    expect(compile("msg['msg']", ['msg']).evaluate({ msg })).toBe(body);
    expect(compile("msg['msg']['update']['builds']", ['msg']).evaluate({ msg })).toBe(
      body.update.builds,
    );
  });

  it('returns Python values: floats that look integral stay floats, comparable from JavaScript', () => {
    const half = compile('4 / 2', []).evaluate({});
    expect(half).toBeInstanceOf(PyFloat);
    expect(pyStr(half)).toBe('2.0');
    expect((half as number) >= 2).toBe(true);
    expect(compile('7 / 2', []).evaluate({})).toBe(3.5);
    expect(compile('2 ** 64', []).evaluate({})).toBe(18446744073709551616n);
    expect(compile('(1, [2])', []).evaluate({})).toEqual(new PyTuple([1, [2]]));
  });
});

describe('truthy', () => {
  class Sized extends PyHostObject {
    readonly pyTypeName = 'Sized';
    constructor(private readonly n: number) {
      super();
    }
    pyGetAttr(): unknown {
      return undefined;
    }
    override pyLen(): number {
      return this.n;
    }
  }
  class Plain extends PyHostObject {
    readonly pyTypeName = 'Plain';
    pyGetAttr(): unknown {
      return undefined;
    }
  }

  it.each([
    [null, false],
    [undefined, false],
    [false, false],
    [true, true],
    [0, false],
    [-0, false],
    [7, true],
    [0n, false],
    [2n ** 70n, true],
    [new PyFloat(0), false],
    [new PyFloat(2), true],
    [0.5, true],
    [Number.NaN, true],
    ['', false],
    ['0', true],
    [[], false],
    [[0], true],
    [{}, false],
    [{ a: 1 }, true],
    [new PyDict(), false],
    [PyDict.fromEntries([[1, 2]]), true],
    [new PySet(), false],
    [new PySet([0]), true],
    [new PyTuple([]), false],
    [new PyTuple([null]), true],
    [new Sized(0), false],
    [new Sized(3), true],
    [new Plain(), true],
  ])('truthy(%p) is %p', (value, expected) => {
    expect(truthy(value)).toBe(expected);
  });
});

describe('pyStr, pyRepr, pyEquals, toJs', () => {
  it.each([
    [null, 'None', 'None'],
    [true, 'True', 'True'],
    [3, '3', '3'],
    [new PyFloat(3), '3.0', '3.0'],
    [0.1, '0.1', '0.1'],
    [1e22, '1e+22', '1e+22'],
    [2n ** 64n, '18446744073709551616', '18446744073709551616'],
    ["it's", "it's", '"it\'s"'],
    [['a', 1, null], "['a', 1, None]", "['a', 1, None]"],
    [{ a: [1.5], b: {} }, "{'a': [1.5], 'b': {}}", "{'a': [1.5], 'b': {}}"],
    [new PyTuple(['x']), "('x',)", "('x',)"],
    [PyDict.fromEntries([[new PyTuple([1, 2]), 'p']]), "{(1, 2): 'p'}", "{(1, 2): 'p'}"],
    [new PySet(), 'set()', 'set()'],
    [new PyNamespace('Message', {}), '<Message object>', '<Message object>'],
    [new PyCallable('lookup', () => 1), '<built-in function lookup>', '<built-in function lookup>'],
  ])('%p prints as %s / %s', (value, str, repr) => {
    expect(pyStr(value)).toBe(str);
    expect(pyRepr(value)).toBe(repr);
  });

  it.each([
    [1, true, true],
    [1, new PyFloat(1), true],
    [[1, 'a'], [1, 'a'], true],
    [[1], new PyTuple([1]), false],
    [
      { a: 1, b: 2 },
      PyDict.fromEntries([
        ['b', 2],
        ['a', 1],
      ]),
      true,
    ],
    [{ a: 1 }, { a: '1' }, false],
    [null, undefined, true],
    [Number.NaN, Number.NaN, false],
  ])('pyEquals(%p, %p) is %p', (a, b, expected) => {
    expect(pyEquals(a, b)).toBe(expected);
  });

  it('converts results to plain JavaScript data', () => {
    const result = compile(
      "{'n': 4 / 2, 't': (1, 2), 's': {3}, 'keys': {'a': 1}.keys(), 1: None, 'g': (x for x in 'ab')}",
      [],
    ).evaluate({});
    expect(toJs(result)).toEqual(
      Object.assign(Object.create(null) as object, {
        n: 2,
        t: [1, 2],
        s: [3],
        keys: ['a'],
        1: null,
        g: ['a', 'b'],
      }),
    );
    expect(toJs(compile('range(3)', []).evaluate({}))).toEqual([0, 1, 2]);
  });

  it('names the Python type of a value', () => {
    expect(
      [
        1,
        1.5,
        new PyFloat(1),
        true,
        'a',
        null,
        [],
        {},
        new PyTuple([]),
        new PySet(),
        new PyNamespace('Row', {}),
      ].map(typeName),
    ).toEqual([
      'int',
      'float',
      'float',
      'bool',
      'str',
      'NoneType',
      'list',
      'dict',
      'tuple',
      'set',
      'Row',
    ]);
  });
});

describe('host objects', () => {
  it('call host functions with positional and keyword arguments', () => {
    const calls: unknown[] = [];
    const lookup = new PyCallable('lookup', (args, kwargs) => {
      calls.push({ args, kwargs: { ...kwargs }, prototype: Object.getPrototypeOf(kwargs) });
      return undefined;
    });
    const result = compile("lookup('ralph', 2, *extra, kind='fas', **more)", [
      'lookup',
      'extra',
      'more',
    ]).evaluate({
      lookup,
      extra: [3],
      more: { strict: true },
    });
    expect(result).toBeNull();
    expect(calls).toEqual([
      { args: ['ralph', 2, 3], kwargs: { kind: 'fas', strict: true }, prototype: null },
    ]);
  });

  it('read attributes through pyGetAttr and name the type when one is missing', () => {
    const message = new PyNamespace('Message', {
      topic: 'org.fedoraproject.prod.bodhi.update.comment',
      body: { comment: { karma: 1, author: 'bob' } },
      agent_name: 'bob',
      usernames: ['bob', 'ralph'],
    });
    const recipients = compile(
      "[u for u in message.usernames if u != message.agent_name] if message.body['comment']['karma'] > 0 else []",
      ['message'],
    );
    expect(recipients.evaluate({ message })).toEqual(['ralph']);
    expect(() => compile('message.packages', ['message']).evaluate({ message })).toThrow(
      "AttributeError: 'Message' object has no attribute 'packages'",
    );
    expect(() => compile('message.toString', ['message']).evaluate({ message })).toThrow(
      'AttributeError',
    );
  });

  it('use the optional item, iteration, length and truth hooks', () => {
    class Rows extends PyHostObject {
      readonly pyTypeName = 'Rows';
      constructor(private readonly rows: unknown[]) {
        super();
      }
      pyGetAttr(name: string): unknown {
        return name === 'count' ? new PyCallable('count', () => this.rows.length) : undefined;
      }
      override pyGetItem(key: unknown): unknown {
        if (typeof key !== 'number')
          throw new PyError('TypeError', 'Rows indices must be integers');
        return this.rows[key];
      }
      override pyIter(): Iterable<unknown> {
        return this.rows;
      }
      override pyLen(): number {
        return this.rows.length;
      }
    }
    const rows = new Rows([{ new: 1 }, { new: 3 }, { new: 1 }]);
    const run = (source: string): unknown => compile(source, ['rows']).evaluate({ rows });
    expect(run("[r['new'] for r in rows]")).toEqual([1, 3, 1]);
    expect(run("rows[1]['new']")).toBe(3);
    expect(run('len(rows) == rows.count()')).toBe(true);
    expect(run("{'new': 3} in rows")).toBe(true);
    expect(run("'yes' if rows else 'no'")).toBe('yes');
    expect(() => run("rows['x']")).toThrow('TypeError: Rows indices must be integers');
    expect(compile("'yes' if rows else 'no'", ['rows']).evaluate({ rows: new Rows([]) })).toBe(
      'no',
    );
  });

  it('refuse subscripts, iteration and len() without the hooks, as Python does', () => {
    const plain = new PyNamespace('Row', { msg: {} });
    const run = (source: string): unknown => compile(source, ['row']).evaluate({ row: plain });
    expect(() => run('row[0]')).toThrow("TypeError: 'Row' object is not subscriptable");
    expect(() => run('[x for x in row]')).toThrow("TypeError: 'Row' object is not iterable");
    expect(() => run('len(row)')).toThrow("TypeError: object of type 'Row' has no len()");
    expect(run('bool(row)')).toBe(true);
  });

  it('have their own types, even when named like a builtin', () => {
    const odd = new PyNamespace('str', {});
    const run = (source: string): unknown => compile(source, ['o']).evaluate({ o: odd });
    expect(run('type(o) is str')).toBe(false);
    expect(run('isinstance(o, str)')).toBe(false);
    expect(run('isinstance(o, type(o))')).toBe(true);
    expect(run("isinstance('x', type(o))")).toBe(false);
  });

  it('let host errors through unchanged', () => {
    const failing = new PyCallable('all', () => {
      throw new Error('history not prefetched');
    });
    expect(() => compile('f()', ['f']).evaluate({ f: failing })).toThrow('history not prefetched');
  });
});

describe('fedbadges rule expressions', () => {
  // The query of a datanommer criterion, rows already fetched by the caller.
  class Query extends PyHostObject {
    readonly pyTypeName = 'Query';
    constructor(private readonly bodies: Record<string, unknown>[]) {
      super();
    }
    pyGetAttr(name: string): unknown {
      if (name === 'all') {
        return new PyCallable('all', () =>
          this.bodies.map((msg) => new PyNamespace('Message', { msg })),
        );
      }
      if (name === 'count') return new PyCallable('count', () => this.bodies.length);
      return undefined;
    }
  }

  it.each([
    [
      'msg',
      "msg.get('msg', {}).get('update', {}).get('type', 'wat') == 'security'",
      { msg: { update: { type: 'security' } } },
      true,
    ],
    [
      'msg',
      "'certificate' in msg.get('msg', {}).get('fields', [])",
      { msg: { fields: ['ssh_key'] } },
      false,
    ],
    ['msg', "msg.get('msg', {}).get('status', None) is 1", { msg: { status: 1 } }, true],
    ['msg', "msg.get('msg', {}).get('status', None) is 1", { msg: { status: 1.5 } }, false],
    [
      'msg',
      "not msg.get('msg', {}).get('user', {}).get('anonymous', True)",
      { msg: { user: { anonymous: false } } },
      true,
    ],
    [
      'msg',
      "len(msg.get('msg', {}).get('attendees', {})) > 2",
      { msg: { attendees: { a: 1, b: 1, c: 2 } } },
      true,
    ],
    [
      'msg',
      "msg.get('msg', {}).get('title', None) == \"User:\" + msg.get('msg', {}).get('user', None)",
      { msg: { title: 'User:Bob', user: 'Bob' } },
      true,
    ],
  ])('trigger over %s: %s', (param, source, value, expected) => {
    expect(compile(source, [param]).evaluate({ [param]: value })).toBe(expected);
  });

  it('counts history rows as the criteria lambdas do', () => {
    const query = new Query([{ status: 1 }, { status: 0 }, { status: 1 }, { status: 1, new: 1 }]);
    const run = (source: string): unknown => compile(source, ['query']).evaluate({ query });
    expect(run("len([msg for msg in query.all() if msg.msg['status'] is 1])")).toBe(3);
    expect(run("sum(1 for row in query.all() if row.msg.get('new') == 1)")).toBe(1);
    expect(run('query.count()')).toBe(4);
  });

  it('evaluates 2.x expressions over a message and a recipient', () => {
    const message = new PyNamespace('Message', {
      topic: 'org.fedoraproject.prod.pagure.pull-request.closed',
      body: { pullrequest: { user: { name: 'alice' }, merged: true }, agent: 'bob' },
      agent_name: 'bob',
      usernames: ['alice', 'bob'],
    });
    const merged = compile(
      "recipient in message.usernames and message.body['pullrequest']['user']['name'] == recipient and message.body['pullrequest'].get('merged', False)",
      ['message', 'recipient'],
    );
    expect(merged.evaluate({ message, recipient: 'alice' })).toBe(true);
    expect(merged.evaluate({ message, recipient: 'bob' })).toBe(false);
  });

  it('evaluates conditions over value', () => {
    const condition = compile('value >= 50 and value % 2 == 0', ['value']);
    expect([10, 50, 51, 100].map((value) => condition.evaluate({ value }))).toEqual([
      false,
      true,
      false,
      true,
    ]);
  });
});
