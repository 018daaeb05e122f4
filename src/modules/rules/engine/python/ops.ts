/**
 * Python semantics of the operators over the value model: truthiness, equality, identity,
 * ordering, membership, iteration, len(), subscripts and slices, arithmetic.
 */
import { PyError, indexError, typeError, unsupported, valueError, zeroDivision } from './errors';
import {
  PyInt,
  floatDivmod,
  floatOf,
  floatPow,
  intAdd,
  intAnd,
  intDivmod,
  intInvert,
  intMul,
  intNeg,
  intOf,
  intOr,
  intPow,
  intShift,
  intSub,
  intXor,
  numKind,
} from './numbers';
import { pyRepr } from './repr';
import { MAX_VALUE_DEPTH, Runtime, checkItems, checkStrLength } from './runtime';
import {
  Dict,
  PyDict,
  PyDictView,
  PyFloat,
  PyHostObject,
  PyIterator,
  PyRange,
  PySet,
  PySlice,
  PyTuple,
  dictEntries,
  dictKeys,
  dictLookup,
  dictSize,
  isDict,
  mkFloat,
  typeName,
} from './values';

// ---------------------------------------------------------------------------------------
// Strings as sequences of code points (Python indexes code points, JS UTF-16 units)

const SURROGATE = /[\uD800-\uDFFF]/;

export function strLength(s: string): number {
  if (!SURROGATE.test(s)) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** The code points of a str, or null when the JS string has no surrogate pairs. */
export function codePoints(s: string): string[] | null {
  return SURROGATE.test(s) ? Array.from(s) : null;
}

function strCompare(a: string, b: string): number {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i].codePointAt(0) as number) - (y[i].codePointAt(0) as number);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

// ---------------------------------------------------------------------------------------
// Truthiness

/** Python truthiness of a value. */
export function truthy(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'number':
      return v !== 0;
    case 'bigint':
      return v !== 0n;
    case 'string':
      return v.length > 0;
  }
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof PyFloat) return v.value !== 0;
  if (v instanceof PyTuple) return v.items.length > 0;
  if (v instanceof PySet || v instanceof PyDict) return v.size > 0;
  if (v instanceof PyDictView) return dictSize(v.dict) > 0;
  if (v instanceof PyRange) return v.length > 0;
  if (v instanceof PyHostObject) {
    if (v.pyBool) return v.pyBool();
    if (v.pyLen) return v.pyLen() > 0;
    return true;
  }
  if (isDict(v)) return dictSize(v) > 0;
  return true;
}

// ---------------------------------------------------------------------------------------
// Equality and identity

function unwrapNumber(v: number | bigint | boolean | PyFloat): number | bigint {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyFloat) return v.value;
  return v;
}

function sequenceItems(v: unknown): readonly unknown[] | null {
  if (Array.isArray(v)) return v;
  if (v instanceof PyTuple) return v.items;
  return null;
}

function keysAsSet(v: unknown): PySet | null {
  if (v instanceof PySet) return v;
  if (v instanceof PyDictView && v.kind === 'keys') return new PySet(dictKeys(v.dict));
  return null;
}

/** `a == b` with Python semantics (1 == 1.0 == True, lists and dicts by value). */
export function pyEquals(a: unknown, b: unknown, rt?: Runtime, depth = 0): boolean {
  if (a === b) return typeof a !== 'number' || !Number.isNaN(a);
  if (a === null || a === undefined || b === null || b === undefined) {
    return (a === null || a === undefined) && (b === null || b === undefined);
  }
  if (depth > MAX_VALUE_DEPTH) {
    throw new PyError('RecursionError', 'maximum recursion depth exceeded in comparison');
  }
  rt?.step();
  const ka = numKind(a);
  const kb = numKind(b);
  if (ka || kb) {
    if (!ka || !kb) return false;
    // Loose equality compares number and bigint exactly.
    return unwrapNumber(a as number) == unwrapNumber(b as number);
  }
  if (typeof a === 'string' || typeof b === 'string') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (a instanceof PyTuple !== b instanceof PyTuple) return false;
  const sa = sequenceItems(a);
  const sb = sequenceItems(b);
  if (sa && sb) {
    if (sa.length !== sb.length) return false;
    for (let i = 0; i < sa.length; i++) {
      if (!pyEquals(sa[i], sb[i], rt, depth + 1)) return false;
    }
    return true;
  }
  if (isDict(a) && isDict(b)) {
    if (dictSize(a) !== dictSize(b)) return false;
    for (const [key, value] of dictEntries(a)) {
      const other = dictLookup(b, key);
      if (!other.found || !pyEquals(value, other.value, rt, depth + 1)) return false;
    }
    return true;
  }
  const setA = keysAsSet(a);
  const setB = keysAsSet(b);
  if (setA && setB) {
    if (setA.size !== setB.size) return false;
    for (const item of setA.values()) if (!setB.has(item)) return false;
    return true;
  }
  if (a instanceof PyRange && b instanceof PyRange) {
    if (a.length !== b.length) return false;
    if (a.length === 0) return true;
    return a.start === b.start && (a.length === 1 || a.step === b.step);
  }
  if (
    a instanceof PyDictView &&
    b instanceof PyDictView &&
    a.kind === 'items' &&
    b.kind === 'items'
  ) {
    return pyEquals(a.dict, b.dict, rt, depth + 1);
  }
  return false;
}

/**
 * `a is b`. Values are not objects here, so identity is modelled on CPython: None, True
 * and False are singletons, ints from -5 to 256 are cached (so `x is 1` holds for an int
 * 1), as are the empty str, one-character Latin-1 strs and the empty tuple; containers and
 * host objects are identical when they are the same JS object; other ints, floats and
 * strs are distinct objects.
 */
export function isIdentical(a: unknown, b: unknown): boolean {
  const noneA = a === null || a === undefined;
  const noneB = b === null || b === undefined;
  if (noneA || noneB) return noneA && noneB;
  if (typeof a === 'boolean' || typeof b === 'boolean') return a === b;
  if (typeof a === 'string' || typeof b === 'string') {
    return a === b && (a as string).length <= 1 && (a as string) <= '\u00ff';
  }
  if (
    typeof a === 'number' ||
    typeof b === 'number' ||
    typeof a === 'bigint' ||
    typeof b === 'bigint'
  ) {
    return (
      typeof a === 'number' &&
      typeof b === 'number' &&
      Number.isSafeInteger(a) &&
      a === b &&
      a >= -5 &&
      a <= 256
    );
  }
  if (
    a instanceof PyTuple &&
    b instanceof PyTuple &&
    a.items.length === 0 &&
    b.items.length === 0
  ) {
    return true;
  }
  return a === b;
}

// ---------------------------------------------------------------------------------------
// Ordering

export type OrderOp = '<' | '<=' | '>' | '>=';

function orderNumbers(op: OrderOp, x: number | bigint, y: number | bigint): boolean {
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
  }
}

function orderResult(op: OrderOp, d: number): boolean {
  return orderNumbers(op, d, 0);
}

/** `a < b` and friends, TypeError between unorderable types as in Python. */
export function compareOrder(
  op: OrderOp,
  a: unknown,
  b: unknown,
  rt?: Runtime,
  depth = 0,
): boolean {
  if (numKind(a) && numKind(b)) {
    return orderNumbers(op, unwrapNumber(a as number), unwrapNumber(b as number));
  }
  if (typeof a === 'string' && typeof b === 'string') return orderResult(op, strCompare(a, b));
  const sa = sequenceItems(a);
  const sb = sequenceItems(b);
  if (sa && sb && Array.isArray(a) === Array.isArray(b)) {
    if (depth > MAX_VALUE_DEPTH) {
      throw new PyError('RecursionError', 'maximum recursion depth exceeded in comparison');
    }
    const n = Math.min(sa.length, sb.length);
    for (let i = 0; i < n; i++) {
      rt?.step();
      if (!pyEquals(sa[i], sb[i], rt, depth + 1)) {
        return compareOrder(op, sa[i], sb[i], rt, depth + 1);
      }
    }
    return orderResult(op, sa.length - sb.length);
  }
  const setA = keysAsSet(a);
  const setB = keysAsSet(b);
  if (setA && setB) {
    const subset = (x: PySet, y: PySet): boolean => [...x.values()].every((item) => y.has(item));
    switch (op) {
      case '<=':
        return subset(setA, setB);
      case '<':
        return setA.size < setB.size && subset(setA, setB);
      case '>=':
        return subset(setB, setA);
      case '>':
        return setB.size < setA.size && subset(setB, setA);
    }
  }
  throw typeError(
    `'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`,
  );
}

// ---------------------------------------------------------------------------------------
// Iteration and len()

/** Whether `iter(v)` would succeed. */
export function isIterable(v: unknown): boolean {
  return (
    typeof v === 'string' ||
    Array.isArray(v) ||
    v instanceof PyTuple ||
    v instanceof PySet ||
    v instanceof PyDict ||
    v instanceof PyDictView ||
    v instanceof PyRange ||
    v instanceof PyIterator ||
    (v instanceof PyHostObject && !!v.pyIter) ||
    isDict(v)
  );
}

/**
 * Iterates a value as Python's `for` does; every item costs a step. Like `iter()`, it
 * raises TypeError at once for a value that is not iterable.
 */
export function iterate(rt: Runtime, v: unknown): Generator<unknown, void, undefined> {
  if (!isIterable(v)) throw typeError(`'${typeName(v)}' object is not iterable`);
  return iterateChecked(rt, v);
}

function* iterateChecked(rt: Runtime, v: unknown): Generator<unknown, void, undefined> {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      rt.step();
      yield v[i];
    }
    return;
  }
  if (typeof v === 'string') {
    for (const ch of v) {
      rt.step();
      yield ch;
    }
    return;
  }
  let source: Iterable<unknown> | Iterator<unknown>;
  if (v instanceof PyTuple) source = v.items;
  else if (v instanceof PySet) source = v.values();
  else if (v instanceof PyDict) source = dictKeys(v);
  else if (v instanceof PyDictView) {
    source =
      v.kind === 'keys'
        ? dictKeys(v.dict)
        : v.kind === 'values'
          ? dictEntries(v.dict).map(([, value]) => value)
          : dictEntries(v.dict).map(([key, value]) => new PyTuple([key, value]));
  } else if (v instanceof PyRange) {
    for (let i = 0; i < v.length; i++) {
      rt.step();
      yield v.at(i);
    }
    return;
  } else if (v instanceof PyIterator) {
    for (;;) {
      const next = v.source.next();
      if (next.done) return;
      rt.step();
      yield next.value;
    }
  } else if (v instanceof PyHostObject && v.pyIter) source = v.pyIter();
  else source = Object.keys(v as object);
  for (const item of source as Iterable<unknown>) {
    rt.step();
    yield item;
  }
}

/** Materialises an iterable into an array (with the size limit). */
export function toArray(rt: Runtime, v: unknown): unknown[] {
  if (Array.isArray(v)) {
    rt.charge(v.length);
    return v.slice();
  }
  const out: unknown[] = [];
  for (const item of iterate(rt, v)) {
    out.push(item);
    if (out.length > 0 && out.length % 65536 === 0) checkItems(out.length);
  }
  checkItems(out.length);
  return out;
}

/** len() */
export function pyLen(v: unknown): number {
  if (typeof v === 'string') return strLength(v);
  if (Array.isArray(v)) return v.length;
  if (v instanceof PyTuple) return v.items.length;
  if (v instanceof PySet || v instanceof PyDict) return v.size;
  if (v instanceof PyDictView) return dictSize(v.dict);
  if (v instanceof PyRange) return v.length;
  if (v instanceof PyHostObject && v.pyLen) return v.pyLen();
  if (isDict(v)) return dictSize(v);
  throw typeError(`object of type '${typeName(v)}' has no len()`);
}

// ---------------------------------------------------------------------------------------
// Membership

/** `item in container` */
export function contains(rt: Runtime, container: unknown, item: unknown): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') {
      throw typeError(`'in <string>' requires string as left operand, not ${typeName(item)}`);
    }
    rt.charge(container.length);
    return container.includes(item);
  }
  if (isDict(container)) return dictLookup(container, item).found;
  if (container instanceof PySet) return container.has(item);
  if (container instanceof PyDictView) {
    if (container.kind === 'keys') return dictLookup(container.dict, item).found;
    if (container.kind === 'items') {
      if (!(item instanceof PyTuple) || item.items.length !== 2) return false;
      const found = dictLookup(container.dict, item.items[0]);
      return found.found && pyEquals(found.value, item.items[1], rt);
    }
  }
  if (container instanceof PyRange && numKind(item) === 'int') {
    const n = Number(intOf(item));
    const offset = n - container.start;
    return (
      offset % container.step === 0 &&
      offset / container.step >= 0 &&
      offset / container.step < container.length
    );
  }
  if (
    !(
      Array.isArray(container) ||
      container instanceof PyTuple ||
      container instanceof PyDictView
    ) &&
    !(container instanceof PyRange || container instanceof PyIterator) &&
    !(container instanceof PyHostObject && container.pyIter)
  ) {
    throw typeError(`argument of type '${typeName(container)}' is not iterable`);
  }
  for (const candidate of iterate(rt, container)) {
    if (isIdentical(candidate, item) || pyEquals(candidate, item, rt)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------
// Subscripts and slices

/** The integer value of an index, or null when it is not an int. */
export function indexValue(v: unknown): number | null {
  if (numKind(v) !== 'int') return null;
  const n = intOf(v);
  if (typeof n === 'bigint') {
    throw indexError("cannot fit 'int' into an index-sized integer");
  }
  return n;
}

function sliceBound(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (numKind(v) !== 'int') {
    throw typeError('slice indices must be integers or None or have an __index__ method');
  }
  const n = intOf(v);
  if (typeof n === 'bigint') return n < 0n ? -Number.MAX_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  return n;
}

/** Python's slice.indices(length) plus the number of selected items. */
export function sliceIndices(
  slice: PySlice,
  length: number,
): { start: number; stop: number; step: number; count: number } {
  const stepValue = sliceBound(slice.step);
  const step = stepValue ?? 1;
  if (step === 0) throw valueError('slice step cannot be zero');
  const adjust = (value: number | null, fallback: number): number => {
    if (value === null) return fallback;
    let v = value;
    if (v < 0) {
      v += length;
      if (v < 0) v = step < 0 ? -1 : 0;
    } else if (v >= length) v = step < 0 ? length - 1 : length;
    return v;
  };
  const start = adjust(sliceBound(slice.start), step < 0 ? length - 1 : 0);
  const stop = adjust(sliceBound(slice.stop), step < 0 ? -1 : length);
  let count = 0;
  if (step < 0) {
    if (stop < start) count = Math.floor((start - stop - 1) / -step) + 1;
  } else if (start < stop) count = Math.floor((stop - start - 1) / step) + 1;
  return { start, stop, step, count };
}

function sliceSequence<T>(rt: Runtime, items: readonly T[], slice: PySlice): T[] {
  const { start, step, count } = sliceIndices(slice, items.length);
  rt.charge(count);
  if (step === 1) return items.slice(start, start + count);
  const out: T[] = new Array<T>(count);
  for (let i = 0; i < count; i++) out[i] = items[start + i * step];
  return out;
}

function normaliseIndex(index: number, length: number, what: string): number {
  const i = index < 0 ? index + length : index;
  if (i < 0 || i >= length) throw indexError(`${what} index out of range`);
  return i;
}

/** `obj[key]` */
export function getItem(rt: Runtime, obj: unknown, key: unknown): unknown {
  if (isDict(obj)) {
    if (key instanceof PySlice) throw typeError("unhashable type: 'slice'");
    const found = dictLookup(obj as Dict, key);
    if (!found.found) throw new PyError('KeyError', pyRepr(key, rt));
    return found.value ?? null;
  }
  if (Array.isArray(obj) || obj instanceof PyTuple) {
    const items = Array.isArray(obj) ? obj : obj.items;
    const what = Array.isArray(obj) ? 'list' : 'tuple';
    if (key instanceof PySlice) {
      const part = sliceSequence(rt, items, key);
      return Array.isArray(obj) ? part : new PyTuple(part);
    }
    const index = indexValue(key);
    if (index === null) {
      throw typeError(`${what} indices must be integers or slices, not ${typeName(key)}`);
    }
    return items[normaliseIndex(index, items.length, what)] ?? null;
  }
  if (typeof obj === 'string') {
    const points = codePoints(obj);
    if (key instanceof PySlice) {
      if (points) return sliceSequence(rt, points, key).join('');
      const { start, step, count } = sliceIndices(key, obj.length);
      rt.charge(count);
      if (step === 1) return obj.slice(start, start + count);
      let out = '';
      for (let i = 0; i < count; i++) out += obj[start + i * step];
      return out;
    }
    const index = indexValue(key);
    if (index === null) throw typeError(`string indices must be integers, not '${typeName(key)}'`);
    const length = points ? points.length : obj.length;
    const i = normaliseIndex(index, length, 'string');
    return points ? points[i] : obj[i];
  }
  if (obj instanceof PyRange) {
    if (key instanceof PySlice) {
      const { start, step, count } = sliceIndices(key, obj.length);
      const first = obj.at(start);
      const newStep = obj.step * step;
      return new PyRange(first, first + count * newStep, newStep);
    }
    const index = indexValue(key);
    if (index === null)
      throw typeError(`range indices must be integers or slices, not ${typeName(key)}`);
    return obj.at(normaliseIndex(index, obj.length, 'range object'));
  }
  if (obj instanceof PyHostObject && obj.pyGetItem) {
    const value = obj.pyGetItem(key);
    return value === undefined ? null : value;
  }
  throw typeError(`'${typeName(obj)}' object is not subscriptable`);
}

// ---------------------------------------------------------------------------------------
// Arithmetic

export type BinaryOp =
  '+' | '-' | '*' | '/' | '//' | '%' | '**' | '&' | '|' | '^' | '<<' | '>>' | '@';

function unsupportedOperands(op: string, a: unknown, b: unknown): PyError {
  return typeError(`unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

function repeat(rt: Runtime, seq: unknown, count: unknown): unknown {
  if (numKind(count) !== 'int') {
    throw typeError(`can't multiply sequence by non-int of type '${typeName(count)}'`);
  }
  const c = intOf(count);
  const n = c <= 0 ? 0 : typeof c === 'bigint' ? Number.MAX_SAFE_INTEGER : c;
  if (typeof seq === 'string') {
    if (seq.length === 0 || n === 0) return '';
    checkStrLength(seq.length * n);
    rt.charge(seq.length * n);
    return seq.repeat(n);
  }
  const items = Array.isArray(seq) ? seq : (seq as PyTuple).items;
  const total = items.length === 0 ? 0 : items.length * n;
  checkItems(total, Array.isArray(seq) ? 'list' : 'tuple');
  rt.charge(total);
  const out: unknown[] = [];
  for (let i = 0; i < n && items.length > 0; i++) out.push(...items);
  return Array.isArray(seq) ? out : new PyTuple(out);
}

function isSequence(v: unknown): boolean {
  return typeof v === 'string' || Array.isArray(v) || v instanceof PyTuple;
}

function setOperation(op: '-' | '&' | '|' | '^', a: PySet, b: PySet): PySet {
  const left = [...a.values()];
  const right = [...b.values()];
  const items =
    op === '|'
      ? [...left, ...right]
      : op === '&'
        ? left.filter((x) => b.has(x))
        : op === '-'
          ? left.filter((x) => !b.has(x))
          : [...left.filter((x) => !b.has(x)), ...right.filter((x) => !a.has(x))];
  checkItems(items.length, 'set');
  return new PySet(items, a.frozen);
}

function numberOp(op: BinaryOp, a: unknown, b: unknown): unknown {
  const ka = numKind(a);
  const kb = numKind(b);
  if (ka === 'int' && kb === 'int') {
    const x = intOf(a);
    const y = intOf(b);
    switch (op) {
      case '+':
        return intAdd(x, y);
      case '-':
        return intSub(x, y);
      case '*':
        return intMul(x, y);
      case '/': {
        if (y === 0 || y === 0n) throw zeroDivision('division by zero');
        if (typeof x === 'number' && typeof y === 'number') return mkFloat(x / y);
        return mkFloat(floatOf(x) / floatOf(y));
      }
      case '//':
        return intDivmod(x, y)[0];
      case '%':
        return intDivmod(x, y, 'integer modulo by zero')[1];
      case '**':
        return intPow(x, y);
      case '&':
      case '|':
      case '^':
        if (typeof a === 'boolean' && typeof b === 'boolean') {
          return op === '&' ? a && b : op === '|' ? a || b : a !== b;
        }
        return op === '&' ? intAnd(x, y) : op === '|' ? intOr(x, y) : intXor(x, y);
      case '<<':
      case '>>':
        return intShift(x, y, op === '<<');
    }
    return undefined;
  }
  const x = floatOf(a);
  const y = floatOf(b);
  switch (op) {
    case '+':
      return mkFloat(x + y);
    case '-':
      return mkFloat(x - y);
    case '*':
      return mkFloat(x * y);
    case '/':
      if (y === 0) throw zeroDivision('float division by zero');
      return mkFloat(x / y);
    case '//':
      return mkFloat(floatDivmod(x, y, 'float floor division by zero')[0]);
    case '%':
      return mkFloat(floatDivmod(x, y, 'float modulo')[1]);
    case '**':
      return floatPow(x, y);
  }
  return undefined;
}

/**
 * A binary operator. `%` with a str on the left is string formatting, handled by the
 * caller before this.
 */
export function binaryOp(rt: Runtime, op: BinaryOp, a: unknown, b: unknown): unknown {
  if (op === '@') throw unsupported("the '@' operator is not supported");
  if (numKind(a) && numKind(b)) {
    const result = numberOp(op, a, b);
    if (result !== undefined) return result;
    throw unsupportedOperands(op, a, b);
  }
  switch (op) {
    case '+':
      if (typeof a === 'string') {
        if (typeof b !== 'string') {
          throw typeError(`can only concatenate str (not "${typeName(b)}") to str`);
        }
        checkStrLength(a.length + b.length);
        rt.charge(a.length + b.length);
        return a + b;
      }
      if (Array.isArray(a)) {
        if (!Array.isArray(b)) {
          throw typeError(`can only concatenate list (not "${typeName(b)}") to list`);
        }
        checkItems(a.length + b.length);
        rt.charge(a.length + b.length);
        return a.concat(b);
      }
      if (a instanceof PyTuple) {
        if (!(b instanceof PyTuple)) {
          throw typeError(`can only concatenate tuple (not "${typeName(b)}") to tuple`);
        }
        checkItems(a.items.length + b.items.length, 'tuple');
        return new PyTuple([...a.items, ...b.items]);
      }
      break;
    case '*':
      if (isSequence(a) && numKind(b)) return repeat(rt, a, b);
      if (isSequence(b) && numKind(a)) return repeat(rt, b, a);
      if (isSequence(a) && !numKind(b)) {
        throw typeError(`can't multiply sequence by non-int of type '${typeName(b)}'`);
      }
      break;
    case '-':
    case '&':
    case '|':
    case '^': {
      const sa = keysAsSet(a);
      const sb = keysAsSet(b);
      if (sa && sb && (a instanceof PySet || b instanceof PySet || a instanceof PyDictView)) {
        return setOperation(op, sa, sb);
      }
      if (op === '|' && isDict(a) && isDict(b)) {
        const merged = PyDict.fromEntries(dictEntries(a));
        for (const [key, value] of dictEntries(b)) merged.set(key, value);
        checkItems(merged.size, 'dict');
        return merged;
      }
      break;
    }
  }
  throw unsupportedOperands(op, a, b);
}

export function unaryOp(op: '-' | '+' | '~', v: unknown): unknown {
  const kind = numKind(v);
  if (kind === 'int') {
    const n = intOf(v);
    return op === '-' ? intNeg(n) : op === '+' ? n : intInvert(n);
  }
  if (kind === 'float' && op !== '~') {
    const x = floatOf(v);
    return mkFloat(op === '-' ? -x : x);
  }
  throw typeError(`bad operand type for unary ${op}: '${typeName(v)}'`);
}

export function divmod(a: unknown, b: unknown): PyTuple {
  const ka = numKind(a);
  const kb = numKind(b);
  if (ka === 'int' && kb === 'int') return new PyTuple(intDivmod(intOf(a), intOf(b)));
  if (ka && kb) {
    const [q, r] = floatDivmod(floatOf(a), floatOf(b));
    return new PyTuple([mkFloat(q), mkFloat(r)]);
  }
  throw unsupportedOperands('divmod()', a, b);
}

export type { PyInt };
