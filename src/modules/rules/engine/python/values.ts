/**
 * The value model: how Python values are held in JavaScript.
 *
 * | Python            | JavaScript                                                          |
 * | ----------------- | ------------------------------------------------------------------- |
 * | None              | `null` (`undefined` is read as None too)                            |
 * | bool              | `boolean`                                                           |
 * | int               | a safe-integer `number`, or a `bigint` beyond 2^53                  |
 * | float             | a `number` that is not a safe integer, or a `PyFloat` box           |
 * | str               | `string`                                                            |
 * | list              | `Array`                                                             |
 * | tuple             | `PyTuple`                                                           |
 * | dict              | a plain object (string keys, own properties only) or a `PyDict`     |
 * | set / frozenset   | `PySet`                                                             |
 * | host objects      | subclasses of `PyHostObject` (attributes through `pyGetAttr`)       |
 * | functions         | `PyCallable`                                                        |
 *
 * See README.md in this folder for the caveats (a JSON `3.0` arrives as the int 3, ...).
 */
import { PyError, typeError } from './errors';
import type { Runtime } from './runtime';

/**
 * A Python float whose value is integral (2.0, -0.0, 1e3): a bare JS number with an
 * integral value reads as an int, so the interpreter boxes such floats. `valueOf` lets
 * JS comparisons (`result >= 2`) work on the box.
 */
export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
}

/** An immutable Python tuple. */
export class PyTuple {
  constructor(readonly items: readonly unknown[]) {}
}

export const EMPTY_TUPLE = new PyTuple([]);

/** A dict built by an expression: any hashable keys, insertion order kept. */
export class PyDict {
  private readonly map = new Map<string, [unknown, unknown]>();

  static fromEntries(entries: Iterable<readonly [unknown, unknown]>): PyDict {
    const dict = new PyDict();
    for (const [k, v] of entries) dict.set(k, v);
    return dict;
  }

  get size(): number {
    return this.map.size;
  }

  set(key: unknown, value: unknown): void {
    const h = hashKey(key);
    const existing = this.map.get(h);
    // Python keeps the first key object and replaces the value.
    if (existing) existing[1] = value;
    else this.map.set(h, [key, value]);
  }

  lookup(key: unknown): { found: boolean; value?: unknown } {
    const entry = this.map.get(hashKey(key));
    return entry ? { found: true, value: entry[1] } : { found: false };
  }

  entries(): IterableIterator<[unknown, unknown]> {
    return this.map.values();
  }
}

/** A Python set or frozenset. Iteration follows insertion order (CPython's is hash order). */
export class PySet {
  private readonly map = new Map<string, unknown>();

  constructor(
    items: Iterable<unknown> = [],
    readonly frozen = false,
  ) {
    for (const item of items) this.add(item);
  }

  get size(): number {
    return this.map.size;
  }

  /** Only while building: sets are never mutated once an expression can see them. */
  add(item: unknown): void {
    const h = hashKey(item);
    if (!this.map.has(h)) this.map.set(h, item);
  }

  has(item: unknown): boolean {
    return this.map.has(hashKey(item));
  }

  values(): IterableIterator<unknown> {
    return this.map.values();
  }

  /** The hash keys, for frozenset hashing. */
  keys(): string[] {
    return [...this.map.keys()];
  }
}

/**
 * An object of the host (the rules engine) seen from Python: a datanommer row with a
 * `.msg` attribute, a `query` with `.all()` and `.count()`, a fedbadges 2.x message with
 * `.topic`, `.body`, `.agent_name`, `.usernames`...
 *
 * `pyGetAttr` is only ever called with names that do not start and end with `__`. Return
 * a value of the value model (a `PyCallable` for a method), or `undefined` for "no such
 * attribute" (the interpreter raises AttributeError naming `pyTypeName`), or throw a
 * `PyError`. The optional hooks give the object `obj[key]`, iteration, `len()` and
 * truthiness; without them those operations raise TypeError as in Python.
 */
export abstract class PyHostObject {
  abstract readonly pyTypeName: string;
  abstract pyGetAttr(name: string): unknown;
  pyGetItem?(key: unknown): unknown;
  pyIter?(): Iterable<unknown>;
  pyLen?(): number;
  pyBool?(): boolean;
  pyRepr?(): string;
}

/**
 * A ready-made host object whose attributes are the own properties of a record, e.g.
 * `new PyNamespace('Message', { topic, body, agent_name, usernames })`.
 */
export class PyNamespace extends PyHostObject {
  private readonly attrs: Record<string, unknown>;

  constructor(
    readonly pyTypeName: string,
    attrs: Record<string, unknown>,
  ) {
    super();
    this.attrs = Object.assign(Object.create(null) as Record<string, unknown>, attrs);
  }

  pyGetAttr(name: string): unknown {
    return Object.prototype.hasOwnProperty.call(this.attrs, name) ? this.attrs[name] : undefined;
  }
}

/** The signature of a host function: positional arguments and keyword arguments. */
export type HostFunction = (args: unknown[], kwargs: Record<string, unknown>) => unknown;

/**
 * A function Python code may call. Host functions receive the evaluated arguments
 * (`kwargs` is a prototype-less object) and return a value of the value model.
 */
export class PyCallable {
  constructor(
    readonly name: string,
    private readonly fn: HostFunction,
  ) {}

  /** @internal Called by the interpreter; builtins override it to reach the runtime. */
  invoke(_rt: Runtime, args: unknown[], kwargs: Record<string, unknown>): unknown {
    return this.fn(args, kwargs);
  }
}

/** A lazy Python iterator (generator, enumerate, zip, map...): single pass, like Python. */
export class PyIterator {
  constructor(
    readonly typeName: string,
    readonly source: Iterator<unknown>,
  ) {}
}

/** `range(start, stop, step)`, lazy. */
export class PyRange {
  readonly length: number;

  constructor(
    readonly start: number,
    readonly stop: number,
    readonly step: number,
  ) {
    const span = step > 0 ? stop - start : start - stop;
    this.length = span <= 0 ? 0 : Math.floor((span - 1) / Math.abs(step)) + 1;
  }

  at(index: number): number {
    return this.start + index * this.step;
  }
}

/** A slice `a[start:stop:step]`; each bound is a value (None when left out). */
export class PySlice {
  constructor(
    readonly start: unknown,
    readonly stop: unknown,
    readonly step: unknown,
  ) {}
}

/** `dict.keys()`, `dict.values()`, `dict.items()`. */
export class PyDictView {
  constructor(
    readonly kind: 'keys' | 'values' | 'items',
    readonly dict: Dict,
  ) {}
}

/** A module offered to expressions (`json`, `re`): a fixed set of attributes. */
export class PyModule {
  constructor(
    readonly name: string,
    readonly attrs: ReadonlyMap<string, unknown>,
  ) {}
}

/** A JSON object read as a dict: string keys, own enumerable properties only. */
export type PlainDict = Record<string, unknown>;
export type Dict = PlainDict | PyDict;

export function isPlainDict(v: unknown): v is PlainDict {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

export function isDict(v: unknown): v is Dict {
  return v instanceof PyDict || isPlainDict(v);
}

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** Looks a key up in a dict. Plain objects answer for their own properties only. */
export function dictLookup(d: Dict, key: unknown): { found: boolean; value?: unknown } {
  if (d instanceof PyDict) return d.lookup(key);
  if (typeof key !== 'string') {
    hashKey(key); // unhashable keys raise TypeError, as in Python
    return { found: false };
  }
  return hasOwn(d, key) ? { found: true, value: d[key] } : { found: false };
}

export function dictSize(d: Dict): number {
  return d instanceof PyDict ? d.size : Object.keys(d).length;
}

export function dictKeys(d: Dict): unknown[] {
  if (d instanceof PyDict) return [...d.entries()].map(([k]) => k);
  return Object.keys(d);
}

export function dictEntries(d: Dict): [unknown, unknown][] {
  if (d instanceof PyDict) return [...d.entries()].map(([k, v]) => [k, v]);
  return Object.keys(d).map((k) => [k, d[k]]);
}

// ---------------------------------------------------------------------------------------
// Numbers

export function isIntValue(v: unknown): v is number | bigint {
  return (typeof v === 'number' && Number.isSafeInteger(v)) || typeof v === 'bigint';
}

export function isFloatValue(v: unknown): v is number | PyFloat {
  return v instanceof PyFloat || (typeof v === 'number' && !Number.isSafeInteger(v));
}

/** int, float or bool. */
export function isNumeric(v: unknown): v is number | bigint | boolean | PyFloat {
  return (
    typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v instanceof PyFloat
  );
}

/** A Python float from a JS number: integral values are boxed so they stay floats. */
export function mkFloat(x: number): number | PyFloat {
  return Number.isSafeInteger(x) ? new PyFloat(x) : x;
}

// ---------------------------------------------------------------------------------------
// Type names

/** The Python type name of a value, as error messages print it. */
export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'string':
      return 'str';
    case 'bigint':
      return 'int';
    case 'number':
      return Number.isSafeInteger(v) ? 'int' : 'float';
    case 'function':
      return 'function';
  }
  if (Array.isArray(v)) return 'list';
  if (v instanceof PyFloat) return 'float';
  if (v instanceof PyTuple) return 'tuple';
  if (v instanceof PyDict || isPlainDict(v)) return 'dict';
  if (v instanceof PySet) return v.frozen ? 'frozenset' : 'set';
  if (v instanceof PyHostObject) return v.pyTypeName;
  if (v instanceof PyType) return 'type';
  if (v instanceof PyCallable) return 'builtin_function_or_method';
  if (v instanceof PyIterator) return v.typeName;
  if (v instanceof PyRange) return 'range';
  if (v instanceof PyDictView) return `dict_${v.kind}`;
  if (v instanceof PySlice) return 'slice';
  if (v instanceof PyModule) return 'module';
  return 'object';
}

/**
 * A Python type usable with isinstance() and callable as a constructor (str, int...).
 * `test` tells whether a value is an instance.
 */
export class PyType extends PyCallable {
  constructor(
    name: string,
    readonly test: (v: unknown) => boolean,
    private readonly construct: (
      rt: Runtime,
      args: unknown[],
      kwargs: Record<string, unknown>,
    ) => unknown,
  ) {
    super(name, () => undefined);
  }

  override invoke(rt: Runtime, args: unknown[], kwargs: Record<string, unknown>): unknown {
    return this.construct(rt, args, kwargs);
  }
}

// ---------------------------------------------------------------------------------------
// Hashing: dict keys and set members are indexed by a string that equal values share
// (1, 1.0 and True have the same key, as their hashes are equal in Python).

const identities = new WeakMap<object, number>();
let nextIdentity = 1;

function identityKey(o: object): string {
  let id = identities.get(o);
  if (id === undefined) {
    id = nextIdentity++;
    identities.set(o, id);
  }
  return `o${id}`;
}

function numberKey(x: number): string {
  if (Number.isSafeInteger(x)) return `i${x === 0 ? 0 : x}`;
  if (Number.isInteger(x)) return `i${BigInt(x).toString()}`;
  return `f${x}`;
}

/** The key of a hashable value; TypeError for lists, dicts and sets, as in Python. */
export function hashKey(v: unknown): string {
  if (typeof v === 'string') return `s${v}`;
  if (v === null || v === undefined) return 'N';
  if (typeof v === 'boolean') return v ? 'i1' : 'i0';
  if (typeof v === 'number') return numberKey(v);
  if (typeof v === 'bigint') return `i${v.toString()}`;
  if (v instanceof PyFloat) return numberKey(v.value);
  if (v instanceof PyTuple) return `t${JSON.stringify(v.items.map(hashKey))}`;
  if (v instanceof PySet) {
    if (!v.frozen) throw typeError("unhashable type: 'set'");
    return `z${JSON.stringify(v.keys().sort())}`;
  }
  if (Array.isArray(v) || isDict(v) || v instanceof PyDictView || v instanceof PySlice) {
    throw typeError(`unhashable type: '${typeName(v)}'`);
  }
  if (typeof v === 'object' || typeof v === 'function') return identityKey(v);
  throw new PyError('TypeError', `unhashable type: '${typeName(v)}'`);
}
