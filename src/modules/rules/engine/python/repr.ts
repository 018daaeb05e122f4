import { PyError } from './errors';
import { floatRepr, intToDecimal } from './numbers';
import { MAX_VALUE_DEPTH, Runtime, checkStrLength } from './runtime';
import {
  PyCallable,
  PyDict,
  PyDictView,
  PyFloat,
  PyHostObject,
  PyIterator,
  PyModule,
  PyRange,
  PySet,
  PySlice,
  PyTuple,
  PyType,
  dictEntries,
  dictKeys,
  isPlainDict,
} from './values';

const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

/** Python's repr() of a str: quote choice and escapes as CPython. */
export function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0) as number;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\x${hex(code, 2)}`;
    else if (code < 0x7f) out += ch;
    else if (ch !== ' ' && NOT_PRINTABLE.test(ch)) {
      out +=
        code < 0x100
          ? `\\x${hex(code, 2)}`
          : code < 0x10000
            ? `\\u${hex(code, 4)}`
            : `\\U${hex(code, 8)}`;
    } else out += ch;
  }
  return out + quote;
}

class Printer {
  private readonly open = new Set<object>();
  private depth = 0;

  constructor(private readonly rt: Runtime) {}

  repr(v: unknown): string {
    this.rt.step();
    if (v === null || v === undefined) return 'None';
    switch (typeof v) {
      case 'boolean':
        return v ? 'True' : 'False';
      case 'string':
        this.rt.charge(v.length);
        return strRepr(v);
      case 'bigint':
        return intToDecimal(v);
      case 'number':
        return Number.isSafeInteger(v) ? String(v === 0 ? 0 : v) : floatRepr(v);
    }
    if (v instanceof PyFloat) return floatRepr(v.value);
    if (v instanceof PyType) return `<class '${v.name}'>`;
    if (v instanceof PyCallable) return `<built-in function ${v.name}>`;
    if (v instanceof PyModule) return `<module '${v.name}'>`;
    if (v instanceof PyIterator) return `<${v.typeName} object>`;
    if (v instanceof PyRange) {
      return v.step === 1
        ? `range(${v.start}, ${v.stop})`
        : `range(${v.start}, ${v.stop}, ${v.step})`;
    }
    if (v instanceof PyHostObject) {
      return v.pyRepr ? v.pyRepr() : `<${v.pyTypeName} object>`;
    }
    if (v instanceof PySlice) {
      return `slice(${this.repr(v.start)}, ${this.repr(v.stop)}, ${this.repr(v.step)})`;
    }
    if (typeof v !== 'object') return '<object>';
    return this.nested(v, () => this.container(v));
  }

  private nested(v: object, print: () => string): string {
    if (this.open.has(v)) return Array.isArray(v) ? '[...]' : '{...}';
    if (++this.depth > MAX_VALUE_DEPTH) {
      throw new PyError(
        'RecursionError',
        'maximum recursion depth exceeded while getting the repr of an object',
      );
    }
    this.open.add(v);
    try {
      return print();
    } finally {
      this.open.delete(v);
      this.depth--;
    }
  }

  private list(items: Iterable<unknown>): string {
    const parts: string[] = [];
    let length = 0;
    for (const item of items) {
      const part = this.repr(item);
      length += part.length + 2;
      checkStrLength(length);
      parts.push(part);
    }
    return parts.join(', ');
  }

  private container(v: object): string {
    if (Array.isArray(v)) return `[${this.list(v)}]`;
    if (v instanceof PyTuple) {
      return v.items.length === 1 ? `(${this.repr(v.items[0])},)` : `(${this.list(v.items)})`;
    }
    if (v instanceof PySet) {
      if (v.size === 0) return v.frozen ? 'frozenset()' : 'set()';
      const body = `{${this.list(v.values())}}`;
      return v.frozen ? `frozenset(${body})` : body;
    }
    if (v instanceof PyDictView) {
      const items =
        v.kind === 'keys'
          ? dictKeys(v.dict)
          : v.kind === 'values'
            ? dictEntries(v.dict).map(([, value]) => value)
            : dictEntries(v.dict).map(([key, value]) => new PyTuple([key, value]));
      return `dict_${v.kind}([${this.list(items)}])`;
    }
    if (v instanceof PyDict || isPlainDict(v)) {
      const parts: string[] = [];
      let length = 0;
      for (const [key, value] of dictEntries(v)) {
        const part = `${this.repr(key)}: ${this.repr(value)}`;
        length += part.length + 2;
        checkStrLength(length);
        parts.push(part);
      }
      return `{${parts.join(', ')}}`;
    }
    return '<object>';
  }
}

/** Python's repr() of a value. */
export function pyRepr(value: unknown, rt: Runtime = Runtime.unbounded()): string {
  return new Printer(rt).repr(value);
}

/** Python's str() of a value. */
export function pyStr(value: unknown, rt: Runtime = Runtime.unbounded()): string {
  return typeof value === 'string' ? value : pyRepr(value, rt);
}
