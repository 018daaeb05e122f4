/** The methods of str, with Python's semantics (code point indexes, Unicode whitespace). */
import { bindArgs } from './callables';
import { typeError, valueError } from './errors';
import { intOf, numKind } from './numbers';
import { codePoints, iterate, sliceIndices, strLength } from './ops';
import { Runtime, checkItems, checkStrLength } from './runtime';
import { PySlice, PyTuple, typeName } from './values';

/** The characters str.isspace() accepts, and str.split()/strip() remove. */
const WHITESPACE =
  '\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';
// Python's line boundaries include the file, group and record separators (\x1c-\x1e).
// eslint-disable-next-line no-control-regex
const LINE_BREAKS = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;
const CASED = /[\p{Lu}\p{Ll}\p{Lt}]/u;
const DIGIT_EXTRA =
  /[\u00b2\u00b3\u00b9\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u2474-\u247c\u2488-\u2490\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792\u1369-\u1371\u19da]/u;

export type StrMethod = (
  rt: Runtime,
  self: string,
  args: unknown[],
  kwargs: Record<string, unknown>,
) => unknown;

function requireStr(v: unknown, what: string): string {
  if (typeof v !== 'string') throw typeError(`${what} must be str, not ${typeName(v)}`);
  return v;
}

function optionalInt(v: unknown, what: string): number | null {
  if (v === undefined || v === null) return null;
  if (numKind(v) !== 'int') {
    throw typeError(`'${typeName(v)}' object cannot be interpreted as an integer (${what})`);
  }
  return Number(intOf(v));
}

/** The code-point range [start, end) of `s` that `s[start:end]` would select. */
function window(s: string, start: unknown, end: unknown): { text: string; offset: number } {
  const length = strLength(s);
  const { start: from, stop } = sliceIndices(new PySlice(start ?? null, end ?? null, null), length);
  const to = Math.max(from, stop);
  const points = codePoints(s);
  const text = points ? points.slice(from, to).join('') : s.slice(from, to);
  return { text, offset: from };
}

/** UTF-16 index in `s` to a code-point index. */
function pointIndex(s: string, utf16: number): number {
  return codePoints(s) ? strLength(s.slice(0, utf16)) : utf16;
}

function find(self: string, sub: string, start: unknown, end: unknown, last: boolean): number {
  const { text, offset } = window(self, start, end);
  // Python finds '' at start even when start == len; beyond len it is not found.
  if (sub === '' && start !== undefined && start !== null) {
    const length = strLength(self);
    const s = Number(intOf(start));
    if ((s < 0 ? s + length : s) > length) return -1;
  }
  const at = last ? text.lastIndexOf(sub) : text.indexOf(sub);
  return at < 0 ? -1 : offset + pointIndex(text, at);
}

function stripChars(self: string, chars: unknown, left: boolean, right: boolean): string {
  const set = chars === undefined || chars === null ? WHITESPACE : requireStr(chars, 'strip arg');
  const points = Array.from(self);
  let from = 0;
  let to = points.length;
  if (left) while (from < to && set.includes(points[from])) from++;
  if (right) while (to > from && set.includes(points[to - 1])) to--;
  return points.slice(from, to).join('');
}

function splitWhitespace(self: string, maxsplit: number, fromRight: boolean): string[] {
  const points = Array.from(self);
  const out: string[] = [];
  if (!fromRight) {
    let i = 0;
    while (i < points.length) {
      while (i < points.length && WHITESPACE.includes(points[i])) i++;
      if (i >= points.length) break;
      if (maxsplit >= 0 && out.length >= maxsplit) {
        // The rest keeps its trailing whitespace, as in Python.
        out.push(points.slice(i).join(''));
        break;
      }
      const startWord = i;
      while (i < points.length && !WHITESPACE.includes(points[i])) i++;
      out.push(points.slice(startWord, i).join(''));
    }
    return out;
  }
  let i = points.length;
  while (i > 0) {
    while (i > 0 && WHITESPACE.includes(points[i - 1])) i--;
    if (i <= 0) break;
    if (maxsplit >= 0 && out.length >= maxsplit) {
      out.unshift(points.slice(0, i).join(''));
      break;
    }
    const endWord = i;
    while (i > 0 && !WHITESPACE.includes(points[i - 1])) i--;
    out.unshift(points.slice(i, endWord).join(''));
  }
  return out;
}

function split(self: string, sep: unknown, maxsplitArg: unknown, fromRight: boolean): string[] {
  const maxsplit = optionalInt(maxsplitArg, 'maxsplit') ?? -1;
  if (sep === undefined || sep === null) return splitWhitespace(self, maxsplit, fromRight);
  const separator = requireStr(sep, 'sep');
  if (separator === '') throw valueError('empty separator');
  const parts = self.split(separator);
  if (maxsplit < 0 || parts.length - 1 <= maxsplit) return parts;
  if (!fromRight) return [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(separator)];
  const keep = parts.length - maxsplit;
  return [parts.slice(0, keep).join(separator), ...parts.slice(keep)];
}

function titleCase(self: string): string {
  let out = '';
  let previousCased = false;
  for (const ch of self) {
    const cased = CASED.test(ch);
    out += cased ? (previousCased ? ch.toLowerCase() : ch.toUpperCase()) : ch;
    previousCased = cased;
  }
  return out;
}

function allChars(self: string, test: (ch: string) => boolean): boolean {
  if (self === '') return false;
  for (const ch of self) if (!test(ch)) return false;
  return true;
}

function caseTest(self: string, lower: boolean): boolean {
  let cased = false;
  for (const ch of self) {
    if (!CASED.test(ch)) continue;
    if (
      lower
        ? ch !== ch.toLowerCase() || /\p{Lt}/u.test(ch)
        : ch !== ch.toUpperCase() || /\p{Lt}/u.test(ch)
    ) {
      return false;
    }
    cased = true;
  }
  return cased;
}

function isDigit(ch: string): boolean {
  return /\p{Nd}/u.test(ch) || DIGIT_EXTRA.test(ch);
}

function prefixTest(
  rt: Runtime,
  self: string,
  args: unknown[],
  kwargs: Record<string, unknown>,
  name: 'startswith' | 'endswith',
): boolean {
  const [affix, start, end] = bindArgs(name, args, kwargs, ['prefix', 'start', 'end'], 1);
  const { text } = window(self, start, end);
  if (start !== undefined && start !== null) {
    const length = strLength(self);
    const s = Number(intOf(start));
    if ((s < 0 ? Math.max(0, s + length) : s) > length) return false;
  }
  const candidates = affix instanceof PyTuple ? affix.items : [affix];
  for (const candidate of candidates) {
    rt.step();
    if (typeof candidate !== 'string') {
      throw typeError(
        affix instanceof PyTuple
          ? `tuple for ${name} must only contain str, not ${typeName(candidate)}`
          : `${name} first arg must be str or a tuple of str, not ${typeName(candidate)}`,
      );
    }
    if (name === 'startswith' ? text.startsWith(candidate) : text.endsWith(candidate)) return true;
  }
  return false;
}

function justify(
  self: string,
  args: unknown[],
  kwargs: Record<string, unknown>,
  name: string,
  side: 'left' | 'right' | 'center',
): string {
  const [widthArg, fillArg] = bindArgs(name, args, kwargs, ['width', 'fillchar'], 1);
  const width = optionalInt(widthArg, 'width') ?? 0;
  const fill = fillArg === undefined ? ' ' : requireStr(fillArg, 'fill character');
  if (strLength(fill) !== 1)
    throw typeError('The fill character must be exactly one character long');
  const length = strLength(self);
  if (width <= length) return self;
  checkStrLength(width);
  const margin = width - length;
  if (side === 'left') return self + fill.repeat(margin);
  if (side === 'right') return fill.repeat(margin) + self;
  // CPython's centring puts the odd extra fill on the left when width is odd.
  const left = Math.floor(margin / 2) + (margin & width & 1);
  return fill.repeat(left) + self + fill.repeat(margin - left);
}

function replace(
  rt: Runtime,
  self: string,
  args: unknown[],
  kwargs: Record<string, unknown>,
): string {
  const [oldArg, newArg, countArg] = bindArgs('replace', args, kwargs, ['old', 'new', 'count'], 2);
  const old = requireStr(oldArg, 'replace() argument 1');
  const replacement = requireStr(newArg, 'replace() argument 2');
  const count = optionalInt(countArg, 'count') ?? -1;
  const parts = old === '' ? ['', ...Array.from(self), ''] : self.split(old);
  const joints = parts.length - 1;
  const used = count < 0 ? joints : Math.min(count, joints);
  const length = self.length + used * (replacement.length - old.length);
  checkStrLength(length);
  rt.charge(length);
  if (old === '') {
    const points = parts.slice(1, -1);
    let out = '';
    for (let i = 0; i < points.length; i++) out += (i < used ? replacement : '') + points[i];
    return out + (used > points.length ? replacement : '');
  }
  if (used === joints) return parts.join(replacement);
  return parts.slice(0, used + 1).join(replacement) + old + parts.slice(used + 1).join(old);
}

function count(self: string, args: unknown[], kwargs: Record<string, unknown>): number {
  const [subArg, start, end] = bindArgs('count', args, kwargs, ['sub', 'start', 'end'], 1);
  const sub = requireStr(subArg, 'count() argument 1');
  const { text } = window(self, start, end);
  if (start !== undefined && start !== null) {
    const length = strLength(self);
    const s = Number(intOf(start));
    if ((s < 0 ? Math.max(0, s + length) : s) > length) return 0;
  }
  if (sub === '') return strLength(text) + 1;
  return text.split(sub).length - 1;
}

export const STR_METHODS: Readonly<Record<string, StrMethod>> = {
  startswith: (rt, self, args, kwargs) => prefixTest(rt, self, args, kwargs, 'startswith'),
  endswith: (rt, self, args, kwargs) => prefixTest(rt, self, args, kwargs, 'endswith'),
  lower: (_rt, self, args, kwargs) => (bindArgs('lower', args, kwargs, [], 0), self.toLowerCase()),
  upper: (_rt, self, args, kwargs) => (bindArgs('upper', args, kwargs, [], 0), self.toUpperCase()),
  swapcase: (_rt, self, args, kwargs) => {
    bindArgs('swapcase', args, kwargs, [], 0);
    let out = '';
    for (const ch of self) out += ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase();
    return out;
  },
  capitalize: (_rt, self, args, kwargs) => {
    bindArgs('capitalize', args, kwargs, [], 0);
    const points = Array.from(self);
    return points.length ? points[0].toUpperCase() + points.slice(1).join('').toLowerCase() : '';
  },
  title: (_rt, self, args, kwargs) => (bindArgs('title', args, kwargs, [], 0), titleCase(self)),
  strip: (_rt, self, args, kwargs) =>
    stripChars(self, bindArgs('strip', args, kwargs, ['chars'], 0)[0], true, true),
  lstrip: (_rt, self, args, kwargs) =>
    stripChars(self, bindArgs('lstrip', args, kwargs, ['chars'], 0)[0], true, false),
  rstrip: (_rt, self, args, kwargs) =>
    stripChars(self, bindArgs('rstrip', args, kwargs, ['chars'], 0)[0], false, true),
  split: (rt, self, args, kwargs) => {
    const [sep, maxsplit] = bindArgs('split', args, kwargs, ['sep', 'maxsplit'], 0, [
      'sep',
      'maxsplit',
    ]);
    rt.charge(self.length);
    const parts = split(self, sep, maxsplit, false);
    checkItems(parts.length);
    return parts;
  },
  rsplit: (rt, self, args, kwargs) => {
    const [sep, maxsplit] = bindArgs('rsplit', args, kwargs, ['sep', 'maxsplit'], 0, [
      'sep',
      'maxsplit',
    ]);
    rt.charge(self.length);
    const parts = split(self, sep, maxsplit, true);
    checkItems(parts.length);
    return parts;
  },
  splitlines: (rt, self, args, kwargs) => {
    const [keepends] = bindArgs('splitlines', args, kwargs, ['keepends'], 0, ['keepends']);
    rt.charge(self.length);
    const out: string[] = [];
    let rest = self;
    while (rest !== '') {
      const m = LINE_BREAKS.exec(rest);
      if (!m) {
        out.push(rest);
        break;
      }
      out.push(
        rest.slice(
          0,
          m.index +
            (keepends === true || (numKind(keepends) && Number(keepends)) ? m[0].length : 0),
        ),
      );
      rest = rest.slice(m.index + m[0].length);
    }
    checkItems(out.length);
    return out;
  },
  replace,
  join: (rt, self, args, kwargs) => {
    const [iterable] = bindArgs('join', args, kwargs, ['iterable'], 1);
    const parts: string[] = [];
    let length = 0;
    for (const item of iterate(rt, iterable)) {
      if (typeof item !== 'string') {
        throw typeError(
          `sequence item ${parts.length}: expected str instance, ${typeName(item)} found`,
        );
      }
      length += item.length + (parts.length ? self.length : 0);
      checkStrLength(length);
      parts.push(item);
    }
    rt.charge(length);
    return parts.join(self);
  },
  count: (_rt, self, args, kwargs) => count(self, args, kwargs),
  find: (_rt, self, args, kwargs) => {
    const [sub, start, end] = bindArgs('find', args, kwargs, ['sub', 'start', 'end'], 1);
    return find(self, requireStr(sub, 'find() argument 1'), start, end, false);
  },
  rfind: (_rt, self, args, kwargs) => {
    const [sub, start, end] = bindArgs('rfind', args, kwargs, ['sub', 'start', 'end'], 1);
    return find(self, requireStr(sub, 'rfind() argument 1'), start, end, true);
  },
  index: (_rt, self, args, kwargs) => {
    const [sub, start, end] = bindArgs('index', args, kwargs, ['sub', 'start', 'end'], 1);
    const at = find(self, requireStr(sub, 'index() argument 1'), start, end, false);
    if (at < 0) throw valueError('substring not found');
    return at;
  },
  rindex: (_rt, self, args, kwargs) => {
    const [sub, start, end] = bindArgs('rindex', args, kwargs, ['sub', 'start', 'end'], 1);
    const at = find(self, requireStr(sub, 'rindex() argument 1'), start, end, true);
    if (at < 0) throw valueError('substring not found');
    return at;
  },
  partition: (_rt, self, args, kwargs) => {
    const sep = requireStr(bindArgs('partition', args, kwargs, ['sep'], 1)[0], 'sep');
    if (sep === '') throw valueError('empty separator');
    const at = self.indexOf(sep);
    if (at < 0) return new PyTuple([self, '', '']);
    return new PyTuple([self.slice(0, at), sep, self.slice(at + sep.length)]);
  },
  rpartition: (_rt, self, args, kwargs) => {
    const sep = requireStr(bindArgs('rpartition', args, kwargs, ['sep'], 1)[0], 'sep');
    if (sep === '') throw valueError('empty separator');
    const at = self.lastIndexOf(sep);
    if (at < 0) return new PyTuple(['', '', self]);
    return new PyTuple([self.slice(0, at), sep, self.slice(at + sep.length)]);
  },
  removeprefix: (_rt, self, args, kwargs) => {
    const prefix = requireStr(
      bindArgs('removeprefix', args, kwargs, ['prefix'], 1)[0],
      'removeprefix() argument',
    );
    return prefix && self.startsWith(prefix) ? self.slice(prefix.length) : self;
  },
  removesuffix: (_rt, self, args, kwargs) => {
    const suffix = requireStr(
      bindArgs('removesuffix', args, kwargs, ['suffix'], 1)[0],
      'removesuffix() argument',
    );
    return suffix && self.endsWith(suffix) ? self.slice(0, self.length - suffix.length) : self;
  },
  zfill: (_rt, self, args, kwargs) => {
    const width = optionalInt(bindArgs('zfill', args, kwargs, ['width'], 1)[0], 'width') ?? 0;
    const length = strLength(self);
    if (width <= length) return self;
    checkStrLength(width);
    const sign = self[0] === '+' || self[0] === '-' ? self[0] : '';
    return sign + '0'.repeat(width - length) + self.slice(sign.length);
  },
  ljust: (_rt, self, args, kwargs) => justify(self, args, kwargs, 'ljust', 'left'),
  rjust: (_rt, self, args, kwargs) => justify(self, args, kwargs, 'rjust', 'right'),
  center: (_rt, self, args, kwargs) => justify(self, args, kwargs, 'center', 'center'),
  isdigit: (_rt, self) => allChars(self, isDigit),
  isdecimal: (_rt, self) => allChars(self, (ch) => /\p{Nd}/u.test(ch)),
  isnumeric: (_rt, self) => allChars(self, (ch) => /\p{N}/u.test(ch)),
  isalpha: (_rt, self) => allChars(self, (ch) => /\p{L}/u.test(ch)),
  isalnum: (_rt, self) => allChars(self, (ch) => /[\p{L}\p{N}]/u.test(ch)),
  isspace: (_rt, self) => allChars(self, (ch) => WHITESPACE.includes(ch)),
  islower: (_rt, self) => caseTest(self, true),
  isupper: (_rt, self) => caseTest(self, false),
  istitle: (_rt, self) => self !== '' && CASED.test(self) && titleCase(self) === self,
  isascii: (_rt, self) => Array.from(self).every((ch) => (ch.codePointAt(0) as number) < 0x80),
};

/** str methods Python has and this interpreter refuses, with the reason. */
export const STR_REFUSED: Readonly<Record<string, string>> = {
  encode: 'bytes are not supported',
  casefold: 'full Unicode case folding is not available',
  expandtabs: 'not offered',
  translate: 'not offered',
  maketrans: 'not offered',
  isidentifier: 'not offered',
  isprintable: 'not offered',
};

export { WHITESPACE };
