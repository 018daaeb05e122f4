/** The builtin functions and types expressions may use, and the ones they may not. */
import { getAttribute, hasAttribute } from './attributes';
import { bindArgs, builtin, callValue, emptyKwargs } from './callables';
import { PyError, typeError, unsupported, valueError } from './errors';
import { asciiRepr, formatValue } from './format';
import { jsonModule } from './json';
import {
  floatOf,
  intOf,
  normInt,
  numKind,
  roundFloat,
  roundInt,
  truncFloat,
  MAX_STR_DIGITS,
  intAdd,
  intDivmod,
  PyInt,
} from './numbers';
import {
  binaryOp,
  compareOrder,
  divmod,
  iterate,
  pyLen,
  strLength,
  toArray,
  truthy,
  unaryOp,
} from './ops';
import { reModule } from './re';
import { pyRepr, pyStr } from './repr';
import { MAX_INT_BITS, Runtime, checkItems } from './runtime';
import { WHITESPACE } from './strings';
import {
  PyCallable,
  PyDict,
  PyDictView,
  PyHostObject,
  PyIterator,
  PyModule,
  PyRange,
  PySet,
  PySlice,
  PyTuple,
  PyType,
  dictEntries,
  isDict,
  mkFloat,
  typeName,
} from './values';

type Impl = (rt: Runtime, args: unknown[], kwargs: Record<string, unknown>) => unknown;

// ---------------------------------------------------------------------------------------
// Conversions

function stripWhitespace(s: string): string {
  let from = 0;
  let to = s.length;
  while (from < to && WHITESPACE.includes(s[from])) from++;
  while (to > from && WHITESPACE.includes(s[to - 1])) to--;
  return s.slice(from, to);
}

/** Unicode decimal digits to ASCII (Nd digits come in runs of ten, 0 to 9). */
function asciiDigits(s: string): string {
  let out = '';
  for (const ch of s) {
    if (/[0-9]/.test(ch) || !/\p{Nd}/u.test(ch)) {
      out += ch;
      continue;
    }
    let code = ch.codePointAt(0) as number;
    let offset = 0;
    while (offset < 60 && /\p{Nd}/u.test(String.fromCodePoint(code - 1))) {
      code--;
      offset++;
    }
    out += String(offset % 10);
  }
  return out;
}

function parseIntText(text: string, base: number): PyInt {
  const original = text;
  const invalid = (): PyError =>
    valueError(`invalid literal for int() with base ${base}: ${pyRepr(original)}`);
  let s = asciiDigits(stripWhitespace(text));
  let sign = 1n;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1n;
    s = s.slice(1);
  }
  let b = base;
  const prefix = /^0([xob])/i.exec(s);
  if (prefix) {
    const prefixBase = { x: 16, o: 8, b: 2 }[prefix[1].toLowerCase() as 'x'];
    if (b === 0 || b === prefixBase) {
      b = prefixBase;
      s = s.slice(2);
      if (s.startsWith('_')) s = s.slice(1);
    }
  }
  if (b === 0) {
    if (/^0+(_?0+)*$/.test(s)) return 0;
    if (s.startsWith('0')) throw invalid();
    b = 10;
  }
  if (s === '' || s.startsWith('_') || s.endsWith('_') || s.includes('__')) throw invalid();
  const digits = s.replace(/_/g, '').toLowerCase();
  for (const ch of digits) {
    const d = parseInt(ch, 36);
    if (Number.isNaN(d) || d >= b) throw invalid();
  }
  const powerOfTwo = b === 2 || b === 4 || b === 8 || b === 16 || b === 32;
  if (!powerOfTwo && digits.length > MAX_STR_DIGITS) {
    throw valueError(
      `Exceeds the limit (${MAX_STR_DIGITS} digits) for integer string conversion: value has ${digits.length} digits; use sys.set_int_max_str_digits() to increase the limit`,
    );
  }
  if (powerOfTwo && digits.length * Math.log2(b) > MAX_INT_BITS) {
    throw new PyError('MemoryError', `refusing to build an int of more than ${MAX_INT_BITS} bits`);
  }
  let value: bigint;
  if (b === 10) value = BigInt(digits);
  else if (b === 16 || b === 8 || b === 2)
    value = BigInt(`0${{ 16: 'x', 8: 'o', 2: 'b' }[b]}${digits}`);
  else {
    value = 0n;
    for (const ch of digits) value = value * BigInt(b) + BigInt(parseInt(ch, 36));
  }
  return normInt(sign * value);
}

function toInt(rt: Runtime, args: unknown[], kwargs: Record<string, unknown>): PyInt {
  const [x, baseArg] = bindArgs('int', args, kwargs, ['x', 'base'], 0, ['base']);
  if (x === undefined) return 0;
  if (baseArg !== undefined) {
    if (typeof x !== 'string') throw typeError("int() can't convert non-string with explicit base");
    const base = Number(intOf(baseArg));
    if (base !== 0 && (base < 2 || base > 36))
      throw valueError('int() base must be >= 2 and <= 36, or 0');
    return parseIntText(x, base);
  }
  if (typeof x === 'string') {
    rt.charge(x.length);
    return parseIntText(x, 10);
  }
  const kind = numKind(x);
  if (kind === 'int') return intOf(x);
  if (kind === 'float') return truncFloat(floatOf(x));
  throw typeError(
    `int() argument must be a string, a bytes-like object or a real number, not '${typeName(x)}'`,
  );
}

const FLOAT_TEXT =
  /^[-+]?(?:(?:\d(?:_?\d)*)?\.?\d(?:_?\d)*|\d(?:_?\d)*\.)(?:[eE][-+]?\d(?:_?\d)*)?$/;

function toFloat(_rt: Runtime, args: unknown[], kwargs: Record<string, unknown>): unknown {
  const [x] = bindArgs('float', args, kwargs, ['x'], 0);
  if (x === undefined) return mkFloat(0);
  if (typeof x === 'string') {
    const s = asciiDigits(stripWhitespace(x));
    const special = /^([-+]?)(inf|infinity|nan)$/i.exec(s);
    if (special) {
      const value = special[2].toLowerCase() === 'nan' ? NaN : Infinity;
      return special[1] === '-' ? -value : value;
    }
    if (!FLOAT_TEXT.test(s)) throw valueError(`could not convert string to float: ${pyRepr(x)}`);
    return mkFloat(Number(s.replace(/_/g, '')));
  }
  if (numKind(x)) return mkFloat(floatOf(x));
  throw typeError(`float() argument must be a string or a real number, not '${typeName(x)}'`);
}

function toDict(rt: Runtime, args: unknown[], kwargs: Record<string, unknown>): PyDict {
  if (args.length > 1) throw typeError(`dict expected at most 1 argument, got ${args.length}`);
  const dict = new PyDict();
  const source = args[0];
  if (source !== undefined) {
    if (isDict(source)) for (const [k, v] of dictEntries(source)) dict.set(k, v);
    else {
      let index = 0;
      for (const item of iterate(rt, source)) {
        const pair = toArray(rt, item);
        if (pair.length !== 2) {
          throw valueError(
            `dictionary update sequence element #${index} has length ${pair.length}; 2 is required`,
          );
        }
        dict.set(pair[0], pair[1]);
        index++;
      }
    }
  }
  for (const key of Object.keys(kwargs)) dict.set(key, kwargs[key]);
  checkItems(dict.size, 'dict');
  return dict;
}

function requireIndex(v: unknown, what = 'integer'): number {
  if (numKind(v) !== 'int') {
    throw typeError(`'${typeName(v)}' object cannot be interpreted as an ${what}`);
  }
  const n = intOf(v);
  if (typeof n === 'bigint')
    throw new PyError('OverflowError', 'Python int too large to convert to C ssize_t');
  return n;
}

function makeRange(_rt: Runtime, args: unknown[], kwargs: Record<string, unknown>): PyRange {
  bindArgs('range', [], kwargs, [], 0);
  if (args.length === 0) throw typeError('range expected at least 1 argument, got 0');
  if (args.length > 3) throw typeError(`range expected at most 3 arguments, got ${args.length}`);
  const values = args.map((a) => requireIndex(a));
  if (values.length === 1) return new PyRange(0, values[0], 1);
  const step = values[2] ?? 1;
  if (step === 0) throw valueError('range() arg 3 must not be zero');
  return new PyRange(values[0], values[1], step);
}

// ---------------------------------------------------------------------------------------
// Types

const types = new Map<string, PyType>();
const hostTypes = new Map<string, PyType>();

function defineType(name: string, test: (v: unknown) => boolean, construct: Impl): PyType {
  const type = new PyType(name, test, construct);
  types.set(name, type);
  return type;
}

const refuse =
  (name: string): Impl =>
  () => {
    throw typeError(`cannot create '${name}' instances`);
  };

defineType(
  'str',
  (v) => typeof v === 'string',
  (rt, args, kwargs) => {
    const [x, encoding] = bindArgs('str', args, kwargs, ['object', 'encoding', 'errors'], 0, [
      'object',
    ]);
    if (encoding !== undefined)
      throw unsupported('str() with an encoding is not supported (no bytes)');
    return x === undefined ? '' : pyStr(x, rt);
  },
);
defineType('int', (v) => numKind(v) === 'int', toInt);
defineType('float', (v) => numKind(v) === 'float', toFloat);
defineType(
  'bool',
  (v) => typeof v === 'boolean',
  (_rt, args, kwargs) => {
    const [x] = bindArgs('bool', args, kwargs, ['x'], 0);
    return x === undefined ? false : truthy(x);
  },
);
defineType('list', Array.isArray, (rt, args, kwargs) => {
  const [x] = bindArgs('list', args, kwargs, ['iterable'], 0);
  return x === undefined ? [] : toArray(rt, x);
});
defineType(
  'tuple',
  (v) => v instanceof PyTuple,
  (rt, args, kwargs) => {
    const [x] = bindArgs('tuple', args, kwargs, ['iterable'], 0);
    if (x instanceof PyTuple) return x;
    return new PyTuple(x === undefined ? [] : toArray(rt, x));
  },
);
defineType('dict', isDict, toDict);
defineType(
  'set',
  (v) => v instanceof PySet && !v.frozen,
  (rt, args, kwargs) => {
    const [x] = bindArgs('set', args, kwargs, ['iterable'], 0);
    const set = new PySet(x === undefined ? [] : iterate(rt, x));
    checkItems(set.size, 'set');
    return set;
  },
);
defineType(
  'frozenset',
  (v) => v instanceof PySet && v.frozen,
  (rt, args, kwargs) => {
    const [x] = bindArgs('frozenset', args, kwargs, ['iterable'], 0);
    const set = new PySet(x === undefined ? [] : iterate(rt, x), true);
    checkItems(set.size, 'frozenset');
    return set;
  },
);
defineType('range', (v) => v instanceof PyRange, makeRange);
defineType(
  'slice',
  (v) => v instanceof PySlice,
  (_rt, args, kwargs) => {
    bindArgs('slice', [], kwargs, [], 0);
    if (args.length === 0 || args.length > 3)
      throw typeError(`slice expected 1 to 3 arguments, got ${args.length}`);
    return args.length === 1
      ? new PySlice(null, args[0], null)
      : new PySlice(args[0], args[1], args[2] ?? null);
  },
);
defineType(
  'type',
  (v) => v instanceof PyType,
  (_rt, args, kwargs) => {
    bindArgs('type', [], kwargs, [], 0);
    if (args.length !== 1)
      throw unsupported('type() with three arguments (creating classes) is not supported');
    return typeOf(args[0]);
  },
);
defineType('NoneType', (v) => v === null || v === undefined, refuse('NoneType'));

/** The type object of a value: `type(x)`. */
export function typeOf(v: unknown): PyType {
  const name = typeName(v);
  // Host types are kept apart: a host type may be called 'str'.
  const host = v instanceof PyHostObject || v instanceof PyCallable || v instanceof PyModule;
  let type = host ? hostTypes.get(name) : types.get(name);
  if (!type) {
    type = new PyType(
      name,
      host
        ? (x) =>
            typeName(x) === name &&
            (x instanceof PyHostObject || x instanceof PyCallable || x instanceof PyModule)
        : (x) => typeName(x) === name,
      refuse(name),
    );
    if (host) hostTypes.set(name, type);
  }
  return type;
}

function isInstance(rt: Runtime, value: unknown, classinfo: unknown): boolean {
  rt.step();
  if (classinfo instanceof PyType) return classinfo.test(value);
  if (classinfo instanceof PyTuple) return classinfo.items.some((c) => isInstance(rt, value, c));
  throw typeError('isinstance() arg 2 must be a type, a tuple of types, or a union');
}

// ---------------------------------------------------------------------------------------
// Functions

function keyFunction(rt: Runtime, key: unknown): (v: unknown) => unknown {
  if (key === undefined || key === null) return (v) => v;
  return (v) => callValue(rt, key, [v], emptyKwargs());
}

function minMax(which: 'min' | 'max'): Impl {
  return (rt, args, kwargs) => {
    const [key, fallback] = bindArgs(which, [], kwargs, ['key', 'default'], 0, ['key', 'default']);
    if (args.length === 0) throw typeError(`${which} expected at least 1 argument, got 0`);
    if (args.length > 1 && fallback !== undefined) {
      throw typeError(`Cannot specify a default for ${which}() with multiple positional arguments`);
    }
    const items = args.length === 1 ? iterate(rt, args[0]) : args;
    const keyOf = keyFunction(rt, key);
    let best: unknown;
    let bestKey: unknown;
    let found = false;
    for (const item of items) {
      const k = keyOf(item);
      if (!found || compareOrder(which === 'max' ? '>' : '<', k, bestKey, rt)) {
        best = item;
        bestKey = k;
        found = true;
      }
    }
    if (!found) {
      if (fallback !== undefined) return fallback;
      throw valueError(`${which}() arg is an empty sequence`);
    }
    return best;
  };
}

function sortedImpl(rt: Runtime, args: unknown[], kwargs: Record<string, unknown>): unknown[] {
  if (args.length !== 1) throw typeError(`sorted expected 1 argument, got ${args.length}`);
  const [key, reverse] = bindArgs('sorted', [], kwargs, ['key', 'reverse'], 0, ['key', 'reverse']);
  const items = toArray(rt, args[0]);
  const keyOf = keyFunction(rt, key);
  const keyed = items.map((item) => ({ item, key: keyOf(item) }));
  const descending = reverse !== undefined && truthy(reverse);
  rt.charge(items.length * Math.max(1, Math.ceil(Math.log2(items.length + 1))));
  keyed.sort((a, b) => {
    const [x, y] = descending ? [b.key, a.key] : [a.key, b.key];
    return compareOrder('<', x, y, rt) ? -1 : compareOrder('<', y, x, rt) ? 1 : 0;
  });
  return keyed.map((k) => k.item);
}

function sumImpl(rt: Runtime, args: unknown[], kwargs: Record<string, unknown>): unknown {
  const [iterable, start] = bindArgs('sum', args, kwargs, ['iterable', 'start'], 1, ['start']);
  let total: unknown = start ?? 0;
  if (typeof total === 'string')
    throw typeError("sum() can't sum strings [use ''.join(seq) instead]");
  for (const item of iterate(rt, iterable)) total = binaryOp(rt, '+', total, item);
  return total;
}

function reversedImpl(rt: Runtime, args: unknown[], kwargs: Record<string, unknown>): PyIterator {
  const [seq] = bindArgs('reversed', args, kwargs, ['sequence'], 1);
  let items: readonly unknown[];
  if (Array.isArray(seq)) items = seq;
  else if (seq instanceof PyTuple) items = seq.items;
  else if (
    typeof seq === 'string' ||
    seq instanceof PyRange ||
    isDict(seq) ||
    seq instanceof PyDictView
  ) {
    items = toArray(rt, seq);
  } else throw typeError(`'${typeName(seq)}' object is not reversible`);
  const snapshot = items;
  return new PyIterator(
    'reversed',
    (function* () {
      for (let i = snapshot.length - 1; i >= 0; i--) {
        rt.step();
        yield snapshot[i];
      }
    })(),
  );
}

function zipImpl(rt: Runtime, args: unknown[], kwargs: Record<string, unknown>): PyIterator {
  const [strict] = bindArgs('zip', [], kwargs, ['strict'], 0, ['strict']);
  const iterators = args.map((a) => iterate(rt, a));
  return new PyIterator(
    'zip',
    (function* () {
      if (iterators.length === 0) return;
      for (;;) {
        const row: unknown[] = [];
        for (let i = 0; i < iterators.length; i++) {
          const next = iterators[i].next();
          if (next.done) {
            if (strict !== undefined && truthy(strict)) {
              if (i > 0)
                throw valueError(
                  `zip() argument ${i + 1} is shorter than argument${i > 1 ? 's 1-' + i : ' 1'}`,
                );
              for (let j = 1; j < iterators.length; j++) {
                if (!iterators[j].next().done) {
                  throw valueError(
                    `zip() argument ${j + 1} is longer than argument${j > 1 ? 's 1-' + j : ' 1'}`,
                  );
                }
              }
            }
            return;
          }
          row.push(next.value);
        }
        yield new PyTuple(row);
      }
    })(),
  );
}

function powImpl(rt: Runtime, args: unknown[], kwargs: Record<string, unknown>): unknown {
  const [base, exp, mod] = bindArgs('pow', args, kwargs, ['base', 'exp', 'mod'], 2, [
    'base',
    'exp',
    'mod',
  ]);
  if (mod === undefined || mod === null) return binaryOp(rt, '**', base, exp);
  if (numKind(base) !== 'int' || numKind(exp) !== 'int' || numKind(mod) !== 'int') {
    throw typeError('pow() 3rd argument not allowed unless all arguments are integers');
  }
  let e = BigInt(intOf(exp));
  const m = BigInt(intOf(mod));
  if (m === 0n) throw valueError('pow() 3rd argument cannot be 0');
  if (e < 0n) throw unsupported('pow() with a negative exponent and a modulus is not supported');
  let result = 1n;
  let b = ((BigInt(intOf(base)) % m) + m) % m;
  while (e > 0n) {
    rt.step();
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return intDivmod(normInt(result), normInt(m))[1];
}

function intToBase(prefix: string, base: number): Impl {
  return (_rt, args, kwargs) => {
    const [x] = bindArgs(prefix, args, kwargs, ['number'], 1);
    if (numKind(x) !== 'int')
      throw typeError(`'${typeName(x)}' object cannot be interpreted as an integer`);
    const n = intOf(x);
    const text = n.toString(base);
    const p = { 2: '0b', 8: '0o', 16: '0x' }[base as 2];
    return text.startsWith('-') ? `-${p}${text.slice(1)}` : `${p}${text}`;
  };
}

const functions: Record<string, Impl> = {
  len: (_rt, args, kwargs) => pyLen(bindArgs('len', args, kwargs, ['obj'], 1)[0]),
  any: (rt, args, kwargs) => {
    const [iterable] = bindArgs('any', args, kwargs, ['iterable'], 1);
    for (const item of iterate(rt, iterable)) if (truthy(item)) return true;
    return false;
  },
  all: (rt, args, kwargs) => {
    const [iterable] = bindArgs('all', args, kwargs, ['iterable'], 1);
    for (const item of iterate(rt, iterable)) if (!truthy(item)) return false;
    return true;
  },
  sum: sumImpl,
  min: minMax('min'),
  max: minMax('max'),
  sorted: sortedImpl,
  reversed: reversedImpl,
  enumerate: (rt, args, kwargs) => {
    const [iterable, start] = bindArgs('enumerate', args, kwargs, ['iterable', 'start'], 1, [
      'iterable',
      'start',
    ]);
    let i: PyInt = start === undefined ? 0 : requireIndex(start);
    const source = iterate(rt, iterable);
    return new PyIterator(
      'enumerate',
      (function* () {
        for (const item of source) {
          yield new PyTuple([i, item]);
          i = intAdd(i, 1);
        }
      })(),
    );
  },
  zip: zipImpl,
  map: (rt, args, kwargs) => {
    bindArgs('map', [], kwargs, [], 0);
    if (args.length < 2) throw typeError('map() must have at least two arguments.');
    const [fn, ...iterables] = args;
    const rows = zipImpl(rt, iterables, emptyKwargs());
    return new PyIterator(
      'map',
      (function* () {
        for (const row of iterate(rt, rows)) yield callValue(rt, fn, [...(row as PyTuple).items]);
      })(),
    );
  },
  filter: (rt, args, kwargs) => {
    const [fn, iterable] = bindArgs('filter', args, kwargs, ['function', 'iterable'], 2);
    const source = iterate(rt, iterable);
    return new PyIterator(
      'filter',
      (function* () {
        for (const item of source) {
          if (truthy(fn === null || fn === undefined ? item : callValue(rt, fn, [item])))
            yield item;
        }
      })(),
    );
  },
  iter: (rt, args, kwargs) => {
    const [x] = bindArgs('iter', args, kwargs, ['object'], 1);
    return x instanceof PyIterator ? x : new PyIterator(`${typeName(x)}_iterator`, iterate(rt, x));
  },
  next: (_rt, args, kwargs) => {
    const [it, fallback] = bindArgs('next', args, kwargs, ['iterator', 'default'], 1);
    if (!(it instanceof PyIterator)) throw typeError(`'${typeName(it)}' object is not an iterator`);
    const next = it.source.next();
    if (next.done) {
      if (args.length > 1) return fallback;
      throw new PyError('StopIteration', '');
    }
    return next.value;
  },
  abs: (_rt, args, kwargs) => {
    const [x] = bindArgs('abs', args, kwargs, ['x'], 1);
    if (!numKind(x)) throw typeError(`bad operand type for abs(): '${typeName(x)}'`);
    return compareOrder('<', x, 0) ? unaryOp('-', x) : unaryOp('+', x);
  },
  round: (_rt, args, kwargs) => {
    const [x, ndigits] = bindArgs('round', args, kwargs, ['number', 'ndigits'], 1, [
      'number',
      'ndigits',
    ]);
    const kind = numKind(x);
    if (!kind) throw typeError(`type ${typeName(x)} doesn't define __round__ method`);
    const digits = ndigits === undefined || ndigits === null ? null : requireIndex(ndigits);
    if (kind === 'int') return digits === null ? intOf(x) : roundInt(intOf(x), digits);
    return roundFloat(floatOf(x), digits);
  },
  divmod: (_rt, args, kwargs) => {
    const [a, b] = bindArgs('divmod', args, kwargs, ['x', 'y'], 2);
    return divmod(a, b);
  },
  pow: powImpl,
  isinstance: (rt, args, kwargs) => {
    const [value, classinfo] = bindArgs('isinstance', args, kwargs, ['obj', 'class_or_tuple'], 2);
    return isInstance(rt, value, classinfo);
  },
  callable: (_rt, args, kwargs) =>
    bindArgs('callable', args, kwargs, ['obj'], 1)[0] instanceof PyCallable,
  hasattr: (rt, args, kwargs) => {
    const [obj, name] = bindArgs('hasattr', args, kwargs, ['obj', 'name'], 2);
    if (typeof name !== 'string') throw typeError('hasattr(): attribute name must be string');
    return hasAttribute(rt, obj, name);
  },
  getattr: (rt, args, kwargs) => {
    const [obj, name, fallback] = bindArgs(
      'getattr',
      args,
      kwargs,
      ['object', 'name', 'default'],
      2,
    );
    if (typeof name !== 'string') throw typeError('getattr(): attribute name must be string');
    if (args.length > 2 && !hasAttribute(rt, obj, name)) return fallback;
    return getAttribute(rt, obj, name);
  },
  repr: (rt, args, kwargs) => pyRepr(bindArgs('repr', args, kwargs, ['obj'], 1)[0], rt),
  ascii: (rt, args, kwargs) => asciiRepr(bindArgs('ascii', args, kwargs, ['obj'], 1)[0], rt),
  format: (rt, args, kwargs) => {
    const [value, spec] = bindArgs('format', args, kwargs, ['value', 'format_spec'], 1);
    if (spec !== undefined && typeof spec !== 'string') {
      throw typeError(`format() argument 2 must be str, not ${typeName(spec)}`);
    }
    return formatValue(rt, value, spec ?? '');
  },
  chr: (_rt, args, kwargs) => {
    const [i] = bindArgs('chr', args, kwargs, ['i'], 1);
    const code = requireIndex(i);
    if (code < 0 || code > 0x10ffff) throw valueError('chr() arg not in range(0x110000)');
    return String.fromCodePoint(code);
  },
  ord: (_rt, args, kwargs) => {
    const [c] = bindArgs('ord', args, kwargs, ['c'], 1);
    if (typeof c !== 'string')
      throw typeError(`ord() expected string of length 1, but ${typeName(c)} found`);
    const length = strLength(c);
    if (length !== 1)
      throw typeError(`ord() expected a character, but string of length ${length} found`);
    return c.codePointAt(0) as number;
  },
  hex: intToBase('hex', 16),
  oct: intToBase('oct', 8),
  bin: intToBase('bin', 2),
};

/** Python builtins this interpreter refuses (I/O, introspection, code execution...). */
export const REFUSED_BUILTINS: ReadonlySet<string> = new Set([
  'print',
  'open',
  'eval',
  'exec',
  'compile',
  '__import__',
  'globals',
  'locals',
  'vars',
  'dir',
  'input',
  'breakpoint',
  'setattr',
  'delattr',
  'help',
  'exit',
  'quit',
  'memoryview',
  'bytearray',
  'bytes',
  'object',
  'super',
  'classmethod',
  'staticmethod',
  'property',
  'id',
  'hash',
  'complex',
  'issubclass',
  'aiter',
  'anext',
  'copyright',
  'credits',
  'license',
]);

/** The names every expression can see: builtin functions, types, and the json/re modules. */
export const BUILTINS: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ...Object.entries(functions).map(
    ([name, impl]) => [name, builtin(name, impl)] as [string, unknown],
  ),
  ...[...types.entries()].filter(([name]) => name !== 'NoneType'),
  ['json', jsonModule],
  ['re', reModule],
]);
