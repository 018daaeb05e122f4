/**
 * The `json` module: `dumps` with Python's defaults (separators `', '` and `': '`,
 * ensure_ascii, floats as repr, NaN/Infinity) and `loads` (ints stay ints, `1.0` is a
 * float, objects keep their key order).
 */
import { bindArgs, builtin } from './callables';
import { PyError, typeError, unsupported, valueError } from './errors';
import { floatOf, floatRepr, intOf, intToDecimal, normInt, numKind } from './numbers';
import { compareOrder, truthy } from './ops';
import { MAX_VALUE_DEPTH, Runtime, checkItems, checkStrLength } from './runtime';
import { PyDict, PyModule, PyTuple, dictEntries, isDict, mkFloat, typeName } from './values';

function encodeString(s: string, ensureAscii: boolean): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const code = s.charCodeAt(i);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (code < 0x20 || (ensureAscii && code > 0x7e)) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}

interface DumpOptions {
  ensureAscii: boolean;
  allowNan: boolean;
  sortKeys: boolean;
  indent: string | null;
  itemSeparator: string;
  keySeparator: string;
}

function encodeFloat(x: number, options: DumpOptions): string {
  if (Number.isFinite(x)) return floatRepr(x);
  if (!options.allowNan) {
    throw valueError(`Out of range float values are not JSON compliant: ${floatRepr(x)}`);
  }
  return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
}

function encodeKey(key: unknown, options: DumpOptions): string {
  if (typeof key === 'string') return key;
  if (key === null || key === undefined) return 'null';
  if (typeof key === 'boolean') return key ? 'true' : 'false';
  const kind = numKind(key);
  if (kind === 'int') return intToDecimal(intOf(key));
  if (kind === 'float') return encodeFloat(floatOf(key), options);
  throw typeError(`keys must be str, int, float, bool or None, not ${typeName(key)}`);
}

function dump(rt: Runtime, value: unknown, options: DumpOptions): string {
  const open = new Set<object>();
  let length = 0;
  const emit = (text: string): string => {
    length += text.length;
    checkStrLength(length);
    return text;
  };
  const encode = (v: unknown, level: number): string => {
    rt.step();
    if (v === null || v === undefined) return emit('null');
    if (typeof v === 'boolean') return emit(v ? 'true' : 'false');
    if (typeof v === 'string') {
      rt.charge(v.length);
      return emit(encodeString(v, options.ensureAscii));
    }
    const kind = numKind(v);
    if (kind === 'int') return emit(intToDecimal(intOf(v)));
    if (kind === 'float') return emit(encodeFloat(floatOf(v), options));
    const isList = Array.isArray(v) || v instanceof PyTuple;
    if (!isList && !isDict(v)) {
      throw typeError(`Object of type ${typeName(v)} is not JSON serializable`);
    }
    const container = v as object;
    if (open.has(container)) throw valueError('Circular reference detected');
    if (level > MAX_VALUE_DEPTH) {
      throw new PyError(
        'RecursionError',
        'maximum recursion depth exceeded while encoding a JSON object',
      );
    }
    open.add(container);
    const inner = options.indent === null ? '' : `\n${options.indent.repeat(level + 1)}`;
    const outer = options.indent === null ? '' : `\n${options.indent.repeat(level)}`;
    let text: string;
    if (isList) {
      const items = Array.isArray(v) ? v : (v as PyTuple).items;
      if (items.length === 0) text = '[]';
      else {
        const parts = items.map((item) => encode(item, level + 1));
        text = `[${inner}${parts.join(options.itemSeparator + inner)}${outer}]`;
      }
    } else {
      let entries = dictEntries(v as PyDict);
      if (options.sortKeys) {
        entries = [...entries].sort((a, b) =>
          compareOrder('<', a[0], b[0], rt) ? -1 : compareOrder('<', b[0], a[0], rt) ? 1 : 0,
        );
      }
      if (entries.length === 0) text = '{}';
      else {
        const parts = entries.map(
          ([key, item]) =>
            encodeString(encodeKey(key, options), options.ensureAscii) +
            options.keySeparator +
            encode(item, level + 1),
        );
        text = `{${inner}${parts.join(options.itemSeparator + inner)}${outer}}`;
      }
    }
    open.delete(container);
    return emit(text);
  };
  return encode(value, 0);
}

function dumps(rt: Runtime, args: unknown[], kwargs: Record<string, unknown>): string {
  const names = [
    'obj',
    'skipkeys',
    'ensure_ascii',
    'check_circular',
    'allow_nan',
    'cls',
    'indent',
    'separators',
    'default',
    'sort_keys',
  ];
  const [obj, skipkeys, ensureAscii, , allowNan, cls, indent, separators, fallback, sortKeys] =
    bindArgs('dumps', args, kwargs, names, 1, names.slice(1));
  if (args.length > 1) throw typeError('dumps() takes 1 positional argument but more were given');
  if (truthy(skipkeys ?? false)) throw unsupported('json.dumps(skipkeys=True) is not supported');
  if (cls !== undefined && cls !== null) throw unsupported('json.dumps(cls=...) is not supported');
  if (fallback !== undefined && fallback !== null)
    throw unsupported('json.dumps(default=...) is not supported');
  let indentText: string | null = null;
  if (indent !== undefined && indent !== null) {
    if (typeof indent === 'string') indentText = indent;
    else if (numKind(indent) === 'int') {
      const n = Number(intOf(indent));
      if (n > 1000) throw new PyError('MemoryError', `refusing an indent of ${n} (limit 1000)`);
      indentText = ' '.repeat(Math.max(0, n));
    } else throw typeError(`indent must be an int or a str, not ${typeName(indent)}`);
  }
  let itemSeparator = indentText === null ? ', ' : ',';
  let keySeparator = ': ';
  if (separators !== undefined && separators !== null) {
    const pair =
      separators instanceof PyTuple
        ? separators.items
        : Array.isArray(separators)
          ? separators
          : null;
    if (!pair || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
      throw typeError('separators must be a (item_separator, key_separator) pair of str');
    }
    [itemSeparator, keySeparator] = pair as string[];
  }
  return dump(rt, obj, {
    ensureAscii: ensureAscii === undefined ? true : truthy(ensureAscii),
    allowNan: allowNan === undefined ? true : truthy(allowNan),
    sortKeys: sortKeys === undefined ? false : truthy(sortKeys),
    indent: indentText,
    itemSeparator,
    keySeparator,
  });
}

// ---------------------------------------------------------------------------------------
// loads

class Decoder {
  private i = 0;
  private depth = 0;

  constructor(
    private readonly rt: Runtime,
    private readonly text: string,
  ) {}

  private error(message: string, at = this.i): PyError {
    let line = 1;
    let column = 1;
    for (let k = 0; k < at; k++) {
      if (this.text[k] === '\n') {
        line++;
        column = 1;
      } else column++;
    }
    return new PyError('JSONDecodeError', `${message}: line ${line} column ${column} (char ${at})`);
  }

  private skipSpace(): void {
    while (this.i < this.text.length && ' \t\n\r'.includes(this.text[this.i])) this.i++;
  }

  document(): unknown {
    this.skipSpace();
    const value = this.value();
    this.skipSpace();
    if (this.i < this.text.length) throw this.error('Extra data');
    return value;
  }

  private value(): unknown {
    this.rt.step();
    const ch = this.text[this.i];
    if (ch === '{' || ch === '[') {
      if (++this.depth > MAX_VALUE_DEPTH) {
        throw new PyError(
          'RecursionError',
          'maximum recursion depth exceeded while decoding a JSON document',
        );
      }
      const result = ch === '{' ? this.object() : this.array();
      this.depth--;
      return result;
    }
    if (ch === '"') return this.string();
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
      ['NaN', NaN],
      ['Infinity', Infinity],
      ['-Infinity', -Infinity],
    ] as const) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length;
        return value;
      }
    }
    const m = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
    m.lastIndex = this.i;
    const number = m.exec(this.text);
    if (number) {
      this.i = m.lastIndex;
      if (number[1] === undefined && number[2] === undefined) return normInt(BigInt(number[0]));
      return mkFloat(Number(number[0]));
    }
    throw this.error('Expecting value');
  }

  private object(): PyDict {
    const dict = new PyDict();
    this.i++;
    this.skipSpace();
    if (this.text[this.i] === '}') {
      this.i++;
      return dict;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.i] !== '"') {
        throw this.error('Expecting property name enclosed in double quotes');
      }
      const key = this.string();
      this.skipSpace();
      if (this.text[this.i] !== ':') throw this.error("Expecting ':' delimiter");
      this.i++;
      this.skipSpace();
      dict.set(key, this.value());
      checkItems(dict.size, 'dict');
      this.skipSpace();
      const ch = this.text[this.i++];
      if (ch === '}') return dict;
      if (ch !== ',') throw this.error("Expecting ',' delimiter", this.i - 1);
    }
  }

  private array(): unknown[] {
    const list: unknown[] = [];
    this.i++;
    this.skipSpace();
    if (this.text[this.i] === ']') {
      this.i++;
      return list;
    }
    for (;;) {
      this.skipSpace();
      list.push(this.value());
      checkItems(list.length);
      this.skipSpace();
      const ch = this.text[this.i++];
      if (ch === ']') return list;
      if (ch !== ',') throw this.error("Expecting ',' delimiter", this.i - 1);
    }
  }

  private string(): string {
    const start = this.i;
    this.i++;
    let out = '';
    for (;;) {
      const ch = this.text[this.i];
      if (ch === undefined) throw this.error('Unterminated string starting at', start);
      if (ch === '"') {
        this.i++;
        return out;
      }
      if (ch.charCodeAt(0) < 0x20) throw this.error('Invalid control character at');
      if (ch !== '\\') {
        out += ch;
        this.i++;
        continue;
      }
      const escape = this.text[this.i + 1];
      const simple: Record<string, string> = {
        '"': '"',
        '\\': '\\',
        '/': '/',
        b: '\b',
        f: '\f',
        n: '\n',
        r: '\r',
        t: '\t',
      };
      if (escape !== undefined && escape in simple) {
        out += simple[escape];
        this.i += 2;
      } else if (escape === 'u') {
        const hex = this.text.slice(this.i + 2, this.i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw this.error('Invalid \\uXXXX escape');
        out += String.fromCharCode(parseInt(hex, 16));
        this.i += 6;
      } else throw this.error('Invalid \\escape');
    }
  }
}

export const jsonModule = new PyModule(
  'json',
  new Map<string, unknown>([
    ['dumps', builtin('dumps', dumps)],
    [
      'loads',
      builtin('loads', (rt, args, kwargs) => {
        const [s] = bindArgs('loads', args, kwargs, ['s'], 1, ['s']);
        if (typeof s !== 'string') {
          throw typeError(`the JSON object must be str, bytes or bytearray, not ${typeName(s)}`);
        }
        rt.charge(s.length);
        return new Decoder(rt, s).document();
      }),
    ],
  ]),
);
