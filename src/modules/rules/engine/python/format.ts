/**
 * String formatting: `'%s' % args`, `str.format` and `format(value, spec)`, as Python does
 * them (flags, widths, precisions, correctly rounded floats).
 */
import { PyError, indexError, typeError, valueError } from './errors';
import {
  floatOf,
  floatRepr,
  formatExponentAbs,
  formatFixedAbs,
  formatGeneralAbs,
  intOf,
  intToDecimal,
  numKind,
  truncFloat,
} from './numbers';
import { codePoints, getItem, strLength } from './ops';
import { pyRepr, pyStr } from './repr';
import { Runtime, checkStrLength } from './runtime';
import { PyHostObject, PyTuple, dictLookup, isDict, typeName } from './values';

/** Width and precision are bounded: a format must not build gigabytes. */
const MAX_WIDTH = 100_000;

function checkWidth(n: number): number {
  if (n > MAX_WIDTH)
    throw new PyError(
      'MemoryError',
      `refusing a format width or precision of ${n} (limit ${MAX_WIDTH})`,
    );
  return n;
}

/** repr() with non-ASCII characters escaped: ascii(). */
export function asciiRepr(v: unknown, rt: Runtime): string {
  let out = '';
  for (const ch of pyRepr(v, rt)) {
    const code = ch.codePointAt(0) as number;
    if (code < 0x80) out += ch;
    else if (code < 0x100) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return out;
}

function isNegativeFloat(x: number): boolean {
  return x < 0 || Object.is(x, -0);
}

function intDigits(n: number | bigint, base: number): string {
  const s = base === 10 ? intToDecimal(n) : n.toString(base);
  return s.startsWith('-') ? s.slice(1) : s;
}

function chrOf(v: unknown): string {
  const code = Number(intOf(v));
  if (code < 0 || code > 0x10ffff)
    throw new PyError('OverflowError', '%c arg not in range(0x110000)');
  return String.fromCodePoint(code);
}

// ---------------------------------------------------------------------------------------
// printf-style formatting

interface PercentSpec {
  key: string | null;
  flags: string;
  width: number | '*' | null;
  precision: number | '*' | null;
  type: string;
}

const PERCENT = /%(?:\(([^)]*)\))?([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?[hlL]?(.?)/y;

/** `format % args` */
export function percentFormat(rt: Runtime, format: string, args: unknown): string {
  const positional = args instanceof PyTuple ? args.items : [args];
  const mapping =
    !(args instanceof PyTuple) &&
    typeof args !== 'string' &&
    (isDict(args) || Array.isArray(args) || (args instanceof PyHostObject && !!args.pyGetItem))
      ? args
      : null;
  let next = 0;
  const take = (): unknown => {
    if (next >= positional.length) throw typeError('not enough arguments for format string');
    return positional[next++];
  };
  let out = '';
  let i = 0;
  while (i < format.length) {
    const percent = format.indexOf('%', i);
    if (percent < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, percent);
    PERCENT.lastIndex = percent;
    const m = PERCENT.exec(format) as RegExpExecArray;
    i = PERCENT.lastIndex;
    const spec: PercentSpec = {
      key: m[1] ?? null,
      flags: m[2],
      width: m[3] === '*' ? '*' : m[3] ? Number(m[3]) : null,
      precision: m[4] === '*' ? '*' : m[4] !== undefined ? Number(m[4] || '0') : null,
      type: m[5],
    };
    if (spec.type === '') throw valueError('incomplete format');
    if (spec.type === '%' && spec.key === null && m[0] === '%%') {
      out += '%';
      continue;
    }
    let width = 0;
    let precision: number | null = null;
    if (spec.width === '*') width = Number(intOf(requireIntArg(take(), '* wants int')));
    else if (spec.width !== null) width = spec.width;
    if (spec.precision === '*') precision = Number(intOf(requireIntArg(take(), '* wants int')));
    else precision = spec.precision;
    let flags = spec.flags;
    if (width < 0) {
      flags += '-';
      width = -width;
    }
    checkWidth(width);
    if (precision !== null) checkWidth(precision);
    let value: unknown;
    if (spec.key !== null) {
      if (!mapping) throw typeError('format requires a mapping');
      value = isDict(mapping) ? lookupKey(rt, mapping, spec.key) : getItem(rt, mapping, spec.key);
    } else if (spec.type !== '%') value = take();
    const text = percentOne(rt, spec.type, flags, precision, value);
    out += pad(text, width, flags, spec.type);
    checkStrLength(out.length);
  }
  if (next < positional.length && !mapping) {
    throw typeError('not all arguments converted during string formatting');
  }
  return out;
}

function lookupKey(rt: Runtime, mapping: unknown, key: string): unknown {
  const found = dictLookup(mapping as Record<string, unknown>, key);
  if (!found.found) throw new PyError('KeyError', pyRepr(key, rt));
  return found.value ?? null;
}

function requireIntArg(v: unknown, message: string): unknown {
  if (numKind(v) !== 'int') throw typeError(message);
  return v;
}

function pad(text: string, width: number, flags: string, type: string): string {
  const length = strLength(text);
  if (length >= width) return text;
  const fill = width - length;
  if (flags.includes('-')) return text + ' '.repeat(fill);
  if (flags.includes('0') && 'diouxXeEfFgG'.includes(type)) {
    const head = (/^([-+ ]?(?:0[xXo])?)/.exec(text) as RegExpExecArray)[1];
    return head + '0'.repeat(fill) + text.slice(head.length);
  }
  return ' '.repeat(fill) + text;
}

function signOf(negative: boolean, flags: string): string {
  return negative ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
}

function percentOne(
  rt: Runtime,
  type: string,
  flags: string,
  precision: number | null,
  value: unknown,
): string {
  switch (type) {
    case '%':
      return '%';
    case 's':
    case 'r':
    case 'a': {
      const s =
        type === 's' ? pyStr(value, rt) : type === 'r' ? pyRepr(value, rt) : asciiRepr(value, rt);
      if (precision === null) return s;
      const points = codePoints(s);
      return points ? points.slice(0, precision).join('') : s.slice(0, precision);
    }
    case 'c':
      if (typeof value === 'string') {
        if (strLength(value) !== 1) throw typeError('%c requires int or char');
        return value;
      }
      if (numKind(value) !== 'int') throw typeError('%c requires int or char');
      return chrOf(value);
    case 'd':
    case 'i':
    case 'u':
    case 'o':
    case 'x':
    case 'X': {
      const kind = numKind(value);
      if (!kind) {
        throw typeError(
          type === 'o' || type === 'x' || type === 'X'
            ? `%${type} format: an integer is required, not ${typeName(value)}`
            : `%${type} format: a real number is required, not ${typeName(value)}`,
        );
      }
      if (kind === 'float' && 'oxX'.includes(type)) {
        throw typeError(`%${type} format: an integer is required, not float`);
      }
      const n = kind === 'float' ? truncFloat(floatOf(value)) : intOf(value);
      const base = type === 'o' ? 8 : type === 'x' || type === 'X' ? 16 : 10;
      let digits = intDigits(n, base);
      if (type === 'X') digits = digits.toUpperCase();
      if (precision !== null) digits = digits.padStart(precision, '0');
      const prefix =
        flags.includes('#') && base !== 10
          ? type === 'o'
            ? '0o'
            : type === 'x'
              ? '0x'
              : '0X'
          : '';
      return signOf(n < 0, flags) + prefix + digits;
    }
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G': {
      if (!numKind(value)) throw typeError(`must be real number, not ${typeName(value)}`);
      const x = floatOf(value);
      const p = precision ?? 6;
      const upper = type === type.toUpperCase();
      const alternate = flags.includes('#');
      const body =
        type === 'f' || type === 'F'
          ? formatFixedAbs(x, p, upper) + (alternate && p === 0 && Number.isFinite(x) ? '.' : '')
          : type === 'e' || type === 'E'
            ? formatExponentAbs(x, p, upper, alternate)
            : formatGeneralAbs(x, p, upper, alternate);
      return signOf(isNegativeFloat(x) && !Number.isNaN(x), flags) + body;
    }
  }
  throw valueError(
    `unsupported format character '${type}' (0x${(type.codePointAt(0) as number).toString(16)})`,
  );
}

// ---------------------------------------------------------------------------------------
// format(value, spec): the format specification mini-language

interface FormatSpec {
  fill: string;
  align: string;
  sign: string;
  alternate: boolean;
  zero: boolean;
  width: number;
  grouping: string;
  precision: number | null;
  type: string;
}

const SPEC = /^(?:([\s\S])?([<>=^]))?([-+ ])?(z)?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([a-zA-Z%])?$/u;

function parseSpec(spec: string): FormatSpec {
  const m = SPEC.exec(spec);
  if (!m) throw valueError('Invalid format specifier');
  return {
    fill: m[1] ?? (m[6] && !m[2] ? '0' : ' '),
    align: m[2] ?? (m[6] ? '=' : ''),
    sign: m[3] ?? '-',
    alternate: !!m[5],
    zero: !!m[6],
    width: checkWidth(m[7] ? Number(m[7]) : 0),
    grouping: m[8] ?? '',
    precision: m[9] !== undefined ? checkWidth(Number(m[9])) : null,
    type: m[10] ?? '',
  };
}

function group(digits: string, separator: string, every: number): string {
  if (!separator) return digits;
  let out = '';
  for (let i = digits.length; i > 0; i -= every) {
    const part = digits.slice(Math.max(0, i - every), i);
    out = out ? `${part}${separator}${out}` : part;
  }
  return out;
}

function align(sign: string, body: string, spec: FormatSpec, defaultAlign: string): string {
  const alignment = spec.align || defaultAlign;
  const length = strLength(sign + body);
  if (length >= spec.width) return sign + body;
  const padding = spec.width - length;
  const fill = (n: number): string => spec.fill.repeat(n);
  switch (alignment) {
    case '<':
      return sign + body + fill(padding);
    case '^':
      return fill(Math.floor(padding / 2)) + sign + body + fill(padding - Math.floor(padding / 2));
    case '=':
      return sign + fill(padding) + body;
    default:
      return fill(padding) + sign + body;
  }
}

function zeroGrouped(digits: string, spec: FormatSpec, sign: string, every: number): string {
  // With '0' and a grouping, the zeros are grouped too (format(1234, '010,') == '00,001,234').
  if (!(spec.zero && spec.grouping)) return group(digits, spec.grouping, every);
  let width = spec.width - sign.length;
  let grouped = group(digits, spec.grouping, every);
  while (grouped.length < width) {
    digits = `0${digits}`;
    grouped = group(digits, spec.grouping, every);
    if (grouped.length > width) {
      width = grouped.length;
      break;
    }
  }
  return grouped;
}

function formatInt(value: unknown, spec: FormatSpec): string {
  const n = intOf(value);
  const negative = n < 0;
  const sign = negative ? '-' : spec.sign === '-' ? '' : spec.sign;
  const type = spec.type || 'd';
  if (spec.precision !== null)
    throw valueError('Precision not allowed in integer format specifier');
  if (type === 'c') {
    if (spec.sign !== '-') throw valueError("Sign not allowed with integer format specifier 'c'");
    return align('', chrOf(n), spec, '<');
  }
  const base = type === 'b' ? 2 : type === 'o' ? 8 : type === 'x' || type === 'X' ? 16 : 10;
  let digits = intDigits(n, base);
  if (type === 'X') digits = digits.toUpperCase();
  const every = base === 10 ? 3 : 4;
  const prefix = spec.alternate && base !== 10 ? `0${type === 'X' ? 'X' : type}` : '';
  digits = zeroGrouped(digits, { ...spec, width: spec.width - prefix.length }, sign, every);
  return align(sign + prefix, digits, spec, '>');
}

function formatFloat(x: number, spec: FormatSpec): string {
  const negative = isNegativeFloat(x) && !Number.isNaN(x);
  const sign = negative ? '-' : spec.sign === '-' ? '' : spec.sign;
  let type = spec.type;
  let body: string;
  const upper = type === type.toUpperCase() && type !== '%' && type !== '';
  if (type === '') {
    if (spec.precision === null) body = floatRepr(Math.abs(x));
    else {
      body = formatGeneralAbs(x, spec.precision, false, false);
      if (Number.isFinite(x) && !/[.e]/.test(body)) body += '.0';
    }
  } else if (type === '%') {
    body = `${formatFixedAbs(x * 100, spec.precision ?? 6)}%`;
  } else {
    if (type === 'n') type = 'g';
    const p = spec.precision ?? 6;
    body =
      type === 'f' || type === 'F'
        ? formatFixedAbs(x, p, upper)
        : type === 'e' || type === 'E'
          ? formatExponentAbs(x, p, upper, spec.alternate)
          : formatGeneralAbs(x, p, upper, spec.alternate);
  }
  if (spec.grouping && Number.isFinite(x)) {
    const m = /^(\d+)(.*)$/s.exec(body);
    if (m) body = zeroGrouped(m[1], { ...spec, width: spec.width - m[2].length }, sign, 3) + m[2];
  }
  return align(sign, body, spec, '>');
}

/** format(value, spec) */
export function formatValue(rt: Runtime, value: unknown, specText: string): string {
  if (specText === '') return pyStr(value, rt);
  const spec = parseSpec(specText);
  if (typeof value === 'string') {
    if (spec.type !== '' && spec.type !== 's') {
      throw valueError(`Unknown format code '${spec.type}' for object of type 'str'`);
    }
    if (spec.sign !== '-') throw valueError('Sign not allowed in string format specifier');
    if (spec.align === '=')
      throw valueError("'=' alignment not allowed in string format specifier");
    let s = value;
    if (spec.precision !== null) {
      const points = codePoints(s);
      s = points ? points.slice(0, spec.precision).join('') : s.slice(0, spec.precision);
    }
    return align('', s, spec, '<');
  }
  const kind = numKind(value);
  if (kind === 'int') {
    if ('eEfFgG%'.includes(spec.type) && spec.type !== '') return formatFloat(floatOf(value), spec);
    if (!['', 'b', 'c', 'd', 'o', 'x', 'X', 'n'].includes(spec.type)) {
      throw valueError(`Unknown format code '${spec.type}' for object of type 'int'`);
    }
    return formatInt(value, spec);
  }
  if (kind === 'float') {
    if (!['', 'e', 'E', 'f', 'F', 'g', 'G', 'n', '%'].includes(spec.type)) {
      throw valueError(`Unknown format code '${spec.type}' for object of type 'float'`);
    }
    return formatFloat(floatOf(value), spec);
  }
  throw typeError(`unsupported format string passed to ${typeName(value)}.__format__`);
}

// ---------------------------------------------------------------------------------------
// str.format

/** Reads an attribute for `{0.name}` fields; supplied by the interpreter. */
export type AttributeReader = (rt: Runtime, value: unknown, name: string) => unknown;

interface FormatArgs {
  positional: readonly unknown[];
  named: (key: string) => { found: boolean; value?: unknown };
}

/** `template.format(*args, **kwargs)` and `template.format_map(mapping)`. */
export function strFormat(
  rt: Runtime,
  template: string,
  positional: readonly unknown[],
  named: (key: string) => { found: boolean; value?: unknown },
  getAttr: AttributeReader,
): string {
  const state = { auto: 0, mode: '' as '' | 'auto' | 'manual' };
  return render(rt, template, { positional, named }, getAttr, state, 0);
}

function render(
  rt: Runtime,
  template: string,
  args: FormatArgs,
  getAttr: AttributeReader,
  state: { auto: number; mode: '' | 'auto' | 'manual' },
  depth: number,
): string {
  if (depth > 2) throw valueError('Max string recursion exceeded');
  let out = '';
  let i = 0;
  while (i < template.length) {
    const ch = template[i];
    if (ch === '{') {
      if (template[i + 1] === '{') {
        out += '{';
        i += 2;
        continue;
      }
      // Find the matching '}', allowing one level of nested fields in the spec.
      let level = 1;
      let j = i + 1;
      while (j < template.length && level > 0) {
        if (template[j] === '{') level++;
        else if (template[j] === '}') level--;
        if (level > 0) j++;
      }
      if (level > 0) throw valueError("expected '}' before end of string");
      out += renderField(rt, template.slice(i + 1, j), args, getAttr, state, depth);
      checkStrLength(out.length);
      i = j + 1;
    } else if (ch === '}') {
      if (template[i + 1] !== '}') throw valueError("Single '}' encountered in format string");
      out += '}';
      i += 2;
    } else {
      const next = template.slice(i).search(/[{}]/);
      const end = next < 0 ? template.length : i + next;
      out += template.slice(i, end);
      i = end;
    }
  }
  return out;
}

function renderField(
  rt: Runtime,
  field: string,
  args: FormatArgs,
  getAttr: AttributeReader,
  state: { auto: number; mode: '' | 'auto' | 'manual' },
  depth: number,
): string {
  rt.step();
  // field_name [! conversion] [: spec]; the name part ends at the first '!' or ':'
  // outside brackets.
  let end = 0;
  let inBracket = false;
  while (end < field.length) {
    const c = field[end];
    if (c === '[') inBracket = true;
    else if (c === ']') inBracket = false;
    else if (!inBracket && (c === '!' || c === ':')) break;
    end++;
  }
  const name = field.slice(0, end);
  let conversion = '';
  let spec = '';
  let rest = field.slice(end);
  if (rest.startsWith('!')) {
    conversion = rest[1] ?? '';
    rest = rest.slice(2);
    if (rest !== '' && !rest.startsWith(':')) {
      throw valueError("expected ':' after conversion specifier");
    }
  }
  if (rest.startsWith(':')) spec = rest.slice(1);
  let value = resolveField(rt, name, args, getAttr, state);
  if (conversion === 'r') value = pyRepr(value, rt);
  else if (conversion === 's') value = pyStr(value, rt);
  else if (conversion === 'a') value = asciiRepr(value, rt);
  else if (conversion !== '') {
    throw valueError(`Unknown conversion specifier ${conversion}`);
  }
  if (spec.includes('{')) spec = render(rt, spec, args, getAttr, state, depth + 1);
  return formatValue(rt, value, spec);
}

function resolveField(
  rt: Runtime,
  name: string,
  args: FormatArgs,
  getAttr: AttributeReader,
  state: { auto: number; mode: '' | 'auto' | 'manual' },
): unknown {
  const m = /^([^.[]*)(.*)$/s.exec(name) as RegExpExecArray;
  const first = m[1];
  let value: unknown;
  if (first === '' || /^\d+$/.test(first)) {
    let index: number;
    if (first === '') {
      if (state.mode === 'manual') {
        throw valueError(
          'cannot switch from manual field specification to automatic field numbering',
        );
      }
      state.mode = 'auto';
      index = state.auto++;
    } else {
      if (state.mode === 'auto') {
        throw valueError(
          'cannot switch from automatic field numbering to manual field specification',
        );
      }
      state.mode = 'manual';
      index = Number(first);
    }
    if (index >= args.positional.length) {
      throw indexError(`Replacement index ${index} out of range for positional args tuple`);
    }
    value = args.positional[index];
  } else {
    const found = args.named(first);
    if (!found.found) throw new PyError('KeyError', pyRepr(first, rt));
    value = found.value;
  }
  let rest = m[2];
  while (rest) {
    const attr = /^\.([^.[]+)/.exec(rest);
    if (attr) {
      value = getAttr(rt, value, attr[1]);
      rest = rest.slice(attr[0].length);
      continue;
    }
    const item = /^\[([^\]]+)\]/.exec(rest);
    if (item) {
      const key = /^\d+$/.test(item[1]) ? Number(item[1]) : item[1];
      value = getItem(rt, value, key);
      rest = rest.slice(item[0].length);
      continue;
    }
    throw valueError("Only '.' or '[' may follow ']' in format field specifier");
  }
  return value;
}
