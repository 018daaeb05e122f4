/**
 * Attribute access: the methods of str, dict, list, tuple and set, the attributes of
 * modules, host objects, ranges and slices. Only what is listed here is reachable; names
 * that start and end with `__` never are.
 */
import { PyBuiltin, bindArgs, builtin } from './callables';
import { PyError, attributeError, typeError, unsupported, valueError } from './errors';
import { strFormat } from './format';
import { floatOf, intOf, numKind } from './numbers';
import { isIdentical, iterate, pyEquals, sliceIndices, toArray } from './ops';
import { pyRepr } from './repr';
import { Runtime, checkItems } from './runtime';
import { STR_METHODS, STR_REFUSED } from './strings';
import {
  Dict,
  PyDict,
  PyDictView,
  PyFloat,
  PyHostObject,
  PyModule,
  PyRange,
  PySet,
  PySlice,
  PyTuple,
  PyType,
  dictEntries,
  dictLookup,
  isDict,
  typeName,
} from './values';

export function isDunder(name: string): boolean {
  return name.length > 4 && name.startsWith('__') && name.endsWith('__');
}

type Method<T> = (
  rt: Runtime,
  self: T,
  args: unknown[],
  kwargs: Record<string, unknown>,
) => unknown;

const ZERO_ARG_STR = new Set([
  'isdigit',
  'isdecimal',
  'isnumeric',
  'isalpha',
  'isalnum',
  'isspace',
  'islower',
  'isupper',
  'istitle',
  'isascii',
]);

const strMethods: Record<string, Method<string>> = {
  ...STR_METHODS,
  format: (rt, self, args, kwargs) =>
    strFormat(
      rt,
      self,
      args,
      (key) =>
        Object.prototype.hasOwnProperty.call(kwargs, key)
          ? { found: true, value: kwargs[key] }
          : { found: false },
      getAttribute,
    ),
  format_map: (rt, self, args, kwargs) => {
    const [mapping] = bindArgs('format_map', args, kwargs, ['mapping'], 1);
    if (!isDict(mapping))
      throw typeError(`format_map() argument must be a mapping, not ${typeName(mapping)}`);
    return strFormat(rt, self, [], (key) => dictLookup(mapping, key), getAttribute);
  },
};

function sequenceIndex(
  rt: Runtime,
  items: readonly unknown[],
  args: unknown[],
  kwargs: Record<string, unknown>,
  what: string,
): number {
  const [value, start, end] = bindArgs('index', args, kwargs, ['value', 'start', 'stop'], 1);
  const { start: from, stop } = sliceIndices(
    new PySlice(start ?? null, end ?? null, null),
    items.length,
  );
  for (let i = from; i < stop; i++) {
    rt.step();
    if (isIdentical(items[i], value) || pyEquals(items[i], value, rt)) return i;
  }
  throw valueError(
    what === 'list' ? `${pyRepr(value, rt)} is not in list` : 'tuple.index(x): x not in tuple',
  );
}

function sequenceCount(
  rt: Runtime,
  items: readonly unknown[],
  args: unknown[],
  kwargs: Record<string, unknown>,
): number {
  const [value] = bindArgs('count', args, kwargs, ['value'], 1);
  let n = 0;
  for (const item of items) {
    rt.step();
    if (isIdentical(item, value) || pyEquals(item, value, rt)) n++;
  }
  return n;
}

const listMethods: Record<string, Method<unknown[]>> = {
  count: (rt, self, args, kwargs) => sequenceCount(rt, self, args, kwargs),
  index: (rt, self, args, kwargs) => sequenceIndex(rt, self, args, kwargs, 'list'),
  copy: (rt, self, args, kwargs) => (bindArgs('copy', args, kwargs, [], 0), toArray(rt, self)),
};

const tupleMethods: Record<string, Method<PyTuple>> = {
  count: (rt, self, args, kwargs) => sequenceCount(rt, self.items, args, kwargs),
  index: (rt, self, args, kwargs) => sequenceIndex(rt, self.items, args, kwargs, 'tuple'),
};

const dictMethods: Record<string, Method<Dict>> = {
  get: (_rt, self, args, kwargs) => {
    const [key, fallback] = bindArgs('get', args, kwargs, ['key', 'default'], 1);
    const found = dictLookup(self, key);
    return found.found ? (found.value ?? null) : (fallback ?? null);
  },
  keys: (_rt, self, args, kwargs) => (
    bindArgs('keys', args, kwargs, [], 0),
    new PyDictView('keys', self)
  ),
  values: (_rt, self, args, kwargs) => (
    bindArgs('values', args, kwargs, [], 0),
    new PyDictView('values', self)
  ),
  items: (_rt, self, args, kwargs) => (
    bindArgs('items', args, kwargs, [], 0),
    new PyDictView('items', self)
  ),
  copy: (rt, self, args, kwargs) => {
    bindArgs('copy', args, kwargs, [], 0);
    const entries = dictEntries(self);
    rt.charge(entries.length);
    return PyDict.fromEntries(entries);
  },
};

function otherSets(rt: Runtime, args: unknown[]): PySet[] {
  return args.map((a) => (a instanceof PySet ? a : new PySet(toArray(rt, a))));
}

function setResult(self: PySet, items: Iterable<unknown>): PySet {
  const result = new PySet(items, self.frozen);
  checkItems(result.size, 'set');
  return result;
}

const setMethods: Record<string, Method<PySet>> = {
  union: (rt, self, args) =>
    setResult(self, [...self.values(), ...otherSets(rt, args).flatMap((s) => [...s.values()])]),
  intersection: (rt, self, args) => {
    const others = otherSets(rt, args);
    return setResult(
      self,
      [...self.values()].filter((x) => others.every((o) => o.has(x))),
    );
  },
  difference: (rt, self, args) => {
    const others = otherSets(rt, args);
    return setResult(
      self,
      [...self.values()].filter((x) => !others.some((o) => o.has(x))),
    );
  },
  symmetric_difference: (rt, self, args, kwargs) => {
    const [other] = otherSets(rt, bindArgs('symmetric_difference', args, kwargs, ['other'], 1));
    return setResult(self, [
      ...[...self.values()].filter((x) => !other.has(x)),
      ...[...other.values()].filter((x) => !self.has(x)),
    ]);
  },
  issubset: (rt, self, args, kwargs) => {
    const [other] = otherSets(rt, bindArgs('issubset', args, kwargs, ['other'], 1));
    return [...self.values()].every((x) => other.has(x));
  },
  issuperset: (rt, self, args, kwargs) => {
    const [other] = otherSets(rt, bindArgs('issuperset', args, kwargs, ['other'], 1));
    return [...other.values()].every((x) => self.has(x));
  },
  isdisjoint: (rt, self, args, kwargs) => {
    const [other] = otherSets(rt, bindArgs('isdisjoint', args, kwargs, ['other'], 1));
    return [...self.values()].every((x) => !other.has(x));
  },
  copy: (_rt, self, args, kwargs) => (
    bindArgs('copy', args, kwargs, [], 0),
    setResult(self, self.values())
  ),
};

/** Methods Python has that would change a value: expressions may not. */
const MUTATORS: Record<string, readonly string[]> = {
  list: ['append', 'extend', 'insert', 'remove', 'pop', 'clear', 'sort', 'reverse'],
  dict: ['pop', 'popitem', 'update', 'setdefault', 'clear'],
  set: [
    'add',
    'remove',
    'discard',
    'pop',
    'clear',
    'update',
    'intersection_update',
    'difference_update',
    'symmetric_difference_update',
  ],
};

function bound<T>(type: string, name: string, self: T, method: Method<T>): PyBuiltin {
  return builtin(name, (rt, args, kwargs) => {
    if (type === 'str' && ZERO_ARG_STR.has(name)) bindArgs(name, args, kwargs, [], 0);
    return method(rt, self, args, kwargs);
  });
}

function methodTable(type: string): Record<string, Method<never>> | null {
  switch (type) {
    case 'str':
      return strMethods;
    case 'list':
      return listMethods;
    case 'tuple':
      return tupleMethods;
    case 'dict':
      return dictMethods;
    case 'set':
    case 'frozenset':
      return setMethods;
  }
  return null;
}

function refusal(type: string, name: string): string | null {
  if (type === 'str' && Object.prototype.hasOwnProperty.call(STR_REFUSED, name))
    return `str.${name}() is not supported: ${STR_REFUSED[name]}`;
  const family = type === 'frozenset' ? 'set' : type;
  if (MUTATORS[family]?.includes(name)) {
    return `${type}.${name}() is not supported: expressions cannot modify values`;
  }
  return null;
}

function methodOf(type: string, self: unknown, name: string): PyBuiltin | undefined {
  const table = methodTable(type);
  if (table && Object.prototype.hasOwnProperty.call(table, name)) {
    return bound(type, name, self as never, table[name] as Method<unknown>);
  }
  const reason = refusal(type, name);
  if (reason) throw unsupported(reason);
  return undefined;
}

/** `Type.method` as a function of the instance: `str.lower`, `dict.get`... */
export function unboundMethod(type: PyType, name: string): unknown {
  const table = methodTable(type.name);
  if (table && Object.prototype.hasOwnProperty.call(table, name)) {
    return builtin(`${type.name}.${name}`, (rt, args, kwargs) => {
      if (args.length === 0 || !type.test(args[0])) {
        throw typeError(
          `descriptor '${name}' for '${type.name}' objects doesn't apply to a '${typeName(args[0])}' object`,
        );
      }
      const method = methodOf(type.name, args[0], name) as PyBuiltin;
      return method.invoke(rt, args.slice(1), kwargs);
    });
  }
  if (type.name === 'dict' && name === 'fromkeys') {
    return builtin('dict.fromkeys', (rt, args, kwargs) => {
      const [iterable, value] = bindArgs('fromkeys', args, kwargs, ['iterable', 'value'], 1);
      const dict = new PyDict();
      for (const key of iterate(rt, iterable)) dict.set(key, value ?? null);
      checkItems(dict.size, 'dict');
      return dict;
    });
  }
  const reason = refusal(type.name, name);
  if (reason) throw unsupported(reason);
  return undefined;
}

function noAttribute(obj: unknown, name: string): never {
  if (obj instanceof PyModule)
    throw attributeError(`module '${obj.name}' has no attribute '${name}'`);
  if (obj instanceof PyType)
    throw attributeError(`type object '${obj.name}' has no attribute '${name}'`);
  throw attributeError(`'${typeName(obj)}' object has no attribute '${name}'`);
}

/** `obj.name` */
export function getAttribute(rt: Runtime, obj: unknown, name: string): unknown {
  rt.step();
  if (isDunder(name)) {
    throw unsupported(`access to the special attribute '${name}' is not allowed`);
  }
  let value: unknown;
  if (obj instanceof PyHostObject) value = obj.pyGetAttr(name);
  else if (obj instanceof PyModule) value = obj.attrs.get(name);
  else if (obj instanceof PyType) value = unboundMethod(obj, name);
  else if (obj instanceof PyRange || obj instanceof PySlice) {
    if (name === 'start' || name === 'stop' || name === 'step') value = obj[name];
    if (obj instanceof PySlice && value === undefined) value = null;
  } else if (numKind(obj) === 'int' && typeof obj !== 'boolean' && name === 'bit_length') {
    value = builtin('bit_length', (_rt, args, kwargs) => {
      bindArgs('bit_length', args, kwargs, [], 0);
      const n = intOf(obj);
      return n === 0 || n === 0n ? 0 : (n < 0 ? -BigInt(n) : BigInt(n)).toString(2).length;
    });
  } else if (numKind(obj) === 'float' && name === 'is_integer') {
    value = builtin('is_integer', (_rt, args, kwargs) => {
      bindArgs('is_integer', args, kwargs, [], 0);
      return Number.isInteger(floatOf(obj as number | PyFloat));
    });
  } else {
    const type = typeName(obj);
    value = methodOf(type, obj, name);
  }
  if (value === undefined) noAttribute(obj, name);
  return value;
}

/** hasattr() */
export function hasAttribute(rt: Runtime, obj: unknown, name: string): boolean {
  try {
    getAttribute(rt, obj, name);
    return true;
  } catch (e) {
    if (e instanceof PyError && e.pyType === 'AttributeError') return false;
    throw e;
  }
}
