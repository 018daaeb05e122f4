import { PyError } from './errors';
import { iterate } from './ops';
import { pyStr } from './repr';
import { MAX_VALUE_DEPTH, Runtime } from './runtime';
import {
  PyDict,
  PyDictView,
  PyFloat,
  PyIterator,
  PyRange,
  PySet,
  PyTuple,
  dictEntries,
  isPlainDict,
} from './values';

/** A value of the model as plain JavaScript data (see `toJs` in index.ts). */
export function toJs(value: unknown, rt: Runtime = Runtime.unbounded(), depth = 0): unknown {
  if (depth > MAX_VALUE_DEPTH) {
    throw new PyError(
      'RecursionError',
      'maximum recursion depth exceeded while converting a value',
    );
  }
  if (value === undefined || value === null) return null;
  if (value instanceof PyFloat) return value.value;
  if (Array.isArray(value)) return value.map((v) => toJs(v, rt, depth + 1));
  if (value instanceof PyTuple) return value.items.map((v) => toJs(v, rt, depth + 1));
  if (
    value instanceof PySet ||
    value instanceof PyDictView ||
    value instanceof PyRange ||
    value instanceof PyIterator
  ) {
    return [...iterate(rt, value)].map((v) => toJs(v, rt, depth + 1));
  }
  if (value instanceof PyDict || isPlainDict(value)) {
    const out = Object.create(null) as Record<string, unknown>;
    for (const [k, v] of dictEntries(value)) out[pyStr(k, rt)] = toJs(v, rt, depth + 1);
    return out;
  }
  return value;
}
