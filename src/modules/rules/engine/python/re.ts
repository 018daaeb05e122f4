/**
 * The `re` module: Python regular expressions translated to JavaScript RegExps.
 *
 * The translation keeps Python's meaning where JavaScript differs: `(?P<name>...)`,
 * `(?P=name)`, `\A`, `\Z`, `^`/`$` (only `\n` ends a line; `$` also matches before a final
 * newline), `.` (everything but `\n`), Unicode `\d`, `\w`, `\s`, `\b` (ASCII with re.A),
 * `{,n}`, a lone `{` as a literal, octal escapes, inline and scoped flags (`(?s:...)`,
 * `(?m:...)`, `(?x:...)`; a scoped `(?i:...)` that differs from the global case
 * sensitivity is refused), verbose mode. Refused with a clear error: atomic groups,
 * possessive quantifiers, conditional groups, `\N{...}`.
 */
import { builtin, bindArgs, callValue, emptyKwargs } from './callables';
import { PyError, typeError, unsupported } from './errors';
import { intOf, numKind } from './numbers';
import { pyRepr } from './repr';
import { Runtime, checkItems, checkStrLength } from './runtime';
import { PyDict, PyHostObject, PyIterator, PyModule, PyTuple, typeName } from './values';

const FLAG = { I: 2, L: 4, M: 8, S: 16, U: 32, X: 64, A: 256 } as const;

const reError = (message: string): PyError => new PyError('re.error', message);

// ---------------------------------------------------------------------------------------
// Translation

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  x: boolean;
  a: boolean;
}

interface Translation {
  source: string;
  groups: number;
  names: Map<string, number>;
  flags: number;
  ignoreCase: boolean;
  /**
   * Whether the pattern has alternatives or lazy quantifiers: only then can an empty
   * match at a position hide a non-empty one at the same position.
   */
  choices: boolean;
}

const SPACE_CLASS =
  '\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const VERBOSE_SPACE = ' \t\n\r\v\f';

function classBody(letter: string, ascii: boolean): string {
  switch (letter.toLowerCase()) {
    case 'd':
      return ascii ? '0-9' : '\\p{Nd}';
    case 'w':
      return ascii ? 'A-Za-z0-9_' : '\\p{L}\\p{N}_';
    default:
      return ascii ? ' \\t-\\r' : SPACE_CLASS;
  }
}

function shorthand(letter: string, ascii: boolean): string {
  const body = classBody(letter, ascii);
  return letter === letter.toLowerCase() ? `[${body}]` : `[^${body}]`;
}

function escapeOutside(ch: string): string {
  return /[\^$\\.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

function codeEscape(code: number): string {
  return `\\u{${code.toString(16)}}`;
}

class Translator {
  private readonly chars: string[];
  private i = 0;
  private groups = 0;
  private choices = false;
  private readonly open = new Set<number>();
  private readonly names = new Map<string, number>();
  private flags: Flags;
  private readonly globalFlags: number;

  constructor(
    private readonly pattern: string,
    flagBits: number,
  ) {
    this.chars = Array.from(pattern);
    let bits = flagBits;
    // Global inline flags must open the pattern (Python 3.11).
    for (;;) {
      const m = /^\(\?([aiLmsux]+)\)/.exec(this.chars.slice(this.i).join(''));
      if (!m) break;
      for (const f of m[1]) {
        if (f === 'L') throw reError("bad inline flags: cannot use 'L' flag with a str pattern");
        bits |= { a: FLAG.A, i: FLAG.I, m: FLAG.M, s: FLAG.S, u: FLAG.U, x: FLAG.X }[f as 'a'] ?? 0;
      }
      this.i += Array.from(m[0]).length;
    }
    if (bits & FLAG.L) throw reError('cannot use LOCALE flag with a str pattern');
    if (bits & FLAG.A && bits & FLAG.U) throw reError('ASCII and UNICODE flags are incompatible');
    this.globalFlags = bits & FLAG.A ? bits : bits | FLAG.U;
    this.flags = {
      i: !!(bits & FLAG.I),
      m: !!(bits & FLAG.M),
      s: !!(bits & FLAG.S),
      x: !!(bits & FLAG.X),
      a: !!(bits & FLAG.A),
    };
  }

  translate(): Translation {
    const source = this.sequence(false);
    if (this.i < this.chars.length) throw reError(`unbalanced parenthesis at position ${this.i}`);
    return {
      source,
      groups: this.groups,
      names: this.names,
      flags: this.globalFlags,
      ignoreCase: this.flags.i,
      choices: this.choices,
    };
  }

  private peek(offset = 0): string | undefined {
    return this.chars[this.i + offset];
  }

  private rest(): string {
    return this.chars.slice(this.i).join('');
  }

  private sequence(inGroup: boolean): string {
    let out = '';
    while (this.i < this.chars.length) {
      const ch = this.chars[this.i];
      if (ch === ')') {
        if (!inGroup) throw reError(`unbalanced parenthesis at position ${this.i}`);
        return out;
      }
      if (this.flags.x && VERBOSE_SPACE.includes(ch)) {
        this.i++;
        continue;
      }
      if (this.flags.x && ch === '#') {
        while (this.i < this.chars.length && this.chars[this.i] !== '\n') this.i++;
        continue;
      }
      out += this.atom();
    }
    if (inGroup) throw reError('missing ), unterminated subpattern');
    return out;
  }

  private atom(): string {
    const ch = this.chars[this.i];
    switch (ch) {
      case '(':
        return this.group();
      case '[':
        return this.characterClass();
      case '\\':
        return this.escape();
      case '.':
        this.i++;
        return this.flags.s ? '[\\s\\S]' : '[^\\n]';
      case '^':
        this.i++;
        return this.flags.m ? '(?<![^\\n])' : '(?<![\\s\\S])';
      case '$':
        this.i++;
        return this.flags.m ? '(?=\\n|(?![\\s\\S]))' : '(?=\\n?(?![\\s\\S]))';
      case '|':
        this.i++;
        this.choices = true;
        return '|';
      case '*':
      case '+':
      case '?':
        this.i++;
        return ch + this.quantifierSuffix();
      case '{': {
        const m = /^\{(\d*)(?:(,)(\d*))?\}/.exec(this.rest());
        if (m && (m[1] !== '' || m[2] !== undefined)) {
          this.i += m[0].length;
          const low = m[1] === '' ? '0' : m[1];
          const body = m[2] === undefined ? low : `${low},${m[3]}`;
          return `{${body}}${this.quantifierSuffix()}`;
        }
        this.i++;
        return '\\{';
      }
      default:
        this.i++;
        return escapeOutside(ch);
    }
  }

  private quantifierSuffix(): string {
    if (this.peek() === '?') {
      this.i++;
      this.choices = true;
      return '?';
    }
    if (this.peek() === '+')
      throw unsupported('possessive quantifiers are not supported in re patterns');
    return '';
  }

  private group(): string {
    const start = this.i;
    this.i++;
    if (this.peek() !== '?') {
      const index = ++this.groups;
      this.open.add(index);
      const body = this.sequence(true);
      this.i++;
      this.open.delete(index);
      return `(${body})`;
    }
    const rest = this.rest();
    let m: RegExpExecArray | null;
    if ((m = /^\?P<([^>]*)>/.exec(rest))) {
      const name = m[1];
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
        throw reError(`bad character in group name '${name}' at position ${start + 4}`);
      if (this.names.has(name))
        throw reError(`redefinition of group name '${name}' at position ${start + 4}`);
      this.i += m[0].length;
      const index = ++this.groups;
      this.names.set(name, index);
      this.open.add(index);
      const body = this.sequence(true);
      this.i++;
      this.open.delete(index);
      return `(?<${name}>${body})`;
    }
    if ((m = /^\?P=([^)]*)\)/.exec(rest))) {
      const index = this.names.get(m[1]);
      if (index === undefined)
        throw reError(`unknown group name '${m[1]}' at position ${start + 4}`);
      if (this.open.has(index)) throw reError(`cannot refer to an open group at position ${start}`);
      this.i += m[0].length;
      return `(?:\\k<${m[1]}>)`;
    }
    if (rest.startsWith('?#')) {
      const end = this.chars.indexOf(')', this.i);
      if (end < 0) throw reError('missing ), unterminated comment');
      this.i = end + 1;
      return '';
    }
    for (const opener of ['?:', '?=', '?!', '?<=', '?<!']) {
      if (rest.startsWith(opener)) {
        this.i += opener.length;
        const body = this.sequence(true);
        this.i++;
        return `(${opener}${body})`;
      }
    }
    if (rest.startsWith('?>'))
      throw unsupported('atomic groups (?>...) are not supported in re patterns');
    if (rest.startsWith('?('))
      throw unsupported('conditional groups (?(...)...) are not supported in re patterns');
    if ((m = /^\?([aiLmsux]*)(?:-([imsx]*))?:/.exec(rest))) {
      return this.scopedFlags(m);
    }
    if (/^\?[aiLmsux]+\)/.test(rest)) {
      throw reError(`global flags not at the start of the expression at position ${start}`);
    }
    throw reError(`unknown extension ?${rest[1] ?? ''} at position ${start + 1}`);
  }

  private scopedFlags(m: RegExpExecArray): string {
    const saved = { ...this.flags };
    const on = m[1];
    const off = m[2] ?? '';
    for (const f of on + off) {
      if (f === 'L' || f === 'a' || f === 'u') {
        if (off.includes(f) || f === 'L')
          throw reError(`bad inline flags: cannot turn off flags 'a', 'u' and 'L'`);
      }
    }
    const apply = (f: string, value: boolean): void => {
      if (f === 'i' && value !== this.flags.i) {
        throw unsupported(
          'a scoped (?i:...) or (?-i:...) group is not supported in re patterns; use the IGNORECASE flag for the whole pattern',
        );
      }
      if (f === 'm' || f === 's' || f === 'x' || f === 'i') this.flags[f] = value;
      if (f === 'a') this.flags.a = value;
    };
    for (const f of on) apply(f, true);
    for (const f of off) apply(f, false);
    this.i += Array.from(m[0]).length;
    const body = this.sequence(true);
    this.i++;
    this.flags = saved;
    return `(?:${body})`;
  }

  /** An escape outside a class. */
  private escape(): string {
    const position = this.i;
    this.i++;
    const ch = this.chars[this.i++];
    if (ch === undefined) throw reError('bad escape (end of pattern)');
    switch (ch) {
      case 'A':
        return '(?<![\\s\\S])';
      case 'Z':
        return '(?![\\s\\S])';
      case 'b':
      case 'B': {
        const w = shorthand('w', this.flags.a);
        const boundary = `(?:(?<=${w})(?!${w})|(?<!${w})(?=${w}))`;
        return ch === 'b' ? boundary : `(?!${boundary})`;
      }
      case 'd':
      case 'D':
      case 'w':
      case 'W':
      case 's':
      case 'S':
        return shorthand(ch, this.flags.a);
    }
    if (/[0-9]/.test(ch)) return this.numericEscape(ch, position);
    const code = this.literalEscape(ch, position);
    return code === null ? escapeOutside(ch) : codeEscape(code);
  }

  private numericEscape(first: string, position: number): string {
    let digits = first;
    if (first === '0') {
      while (digits.length < 3 && /[0-7]/.test(this.peek() ?? '')) digits += this.chars[this.i++];
      return codeEscape(parseInt(digits, 8));
    }
    if (/[0-9]/.test(this.peek() ?? '')) {
      const second = this.peek() as string;
      const third = this.peek(1) ?? '';
      if (/[0-7]/.test(first) && /[0-7]/.test(second) && /[0-7]/.test(third)) {
        this.i += 2;
        const value = parseInt(first + second + third, 8);
        if (value > 0o377)
          throw reError(
            `octal escape value \\${first}${second}${third} outside of range 0-0o377 at position ${position}`,
          );
        return codeEscape(value);
      }
      digits += this.chars[this.i++];
    }
    const index = Number(digits);
    if (index > this.groups)
      throw reError(`invalid group reference ${index} at position ${position + 1}`);
    if (this.open.has(index))
      throw reError(`cannot refer to an open group at position ${position}`);
    return `(?:\\${index})`;
  }

  /** The code of a character escape (\n, \x41, \u00e9...), null for an escaped literal. */
  private literalEscape(ch: string, position: number): number | null {
    const simple: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
    if (ch in simple) return simple[ch];
    const hexDigits = ch === 'x' ? 2 : ch === 'u' ? 4 : ch === 'U' ? 8 : 0;
    if (hexDigits) {
      const hex = this.chars.slice(this.i, this.i + hexDigits).join('');
      if (!new RegExp(`^[0-9a-fA-F]{${hexDigits}}$`).test(hex)) {
        throw reError(`incomplete escape \\${ch}${hex} at position ${position}`);
      }
      this.i += hexDigits;
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) throw reError(`bad escape \\${ch}${hex} at position ${position}`);
      return code;
    }
    if (ch === 'N') throw unsupported('\\N{...} escapes are not supported in re patterns');
    if (/[A-Za-z]/.test(ch)) throw reError(`bad escape \\${ch} at position ${position}`);
    return null;
  }

  private characterClass(): string {
    const start = this.i;
    this.i++;
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.i++;
    }
    const parts: string[] = [];
    const negatedShorthands: string[] = [];
    let first = true;
    for (;;) {
      const ch = this.chars[this.i];
      if (ch === undefined) throw reError(`unterminated character set at position ${start}`);
      if (ch === ']' && !first) {
        this.i++;
        break;
      }
      first = false;
      const low = this.classAtom();
      if (low.kind === 'set') {
        if (this.peek() === '-' && this.peek(1) !== undefined && this.peek(1) !== ']') {
          throw reError(`bad character range at position ${start}`);
        }
        if (low.negated) negatedShorthands.push(low.text);
        else parts.push(low.text);
        continue;
      }
      if (this.peek() === '-' && this.peek(1) !== undefined && this.peek(1) !== ']') {
        this.i++;
        const high = this.classAtom();
        if (high.kind === 'set') throw reError(`bad character range at position ${start}`);
        if (high.code < low.code) throw reError(`bad character range at position ${start}`);
        parts.push(`${codeEscape(low.code)}-${codeEscape(high.code)}`);
      } else parts.push(codeEscape(low.code));
    }
    const positive = parts.length ? `[${parts.join('')}]` : '';
    if (negatedShorthands.length === 0) {
      if (!parts.length) return negated ? '[\\s\\S]' : '[]';
      return negated ? `[^${parts.join('')}]` : positive;
    }
    const alternatives = [
      ...(positive ? [positive] : []),
      ...negatedShorthands.map((body) => `[^${body}]`),
    ];
    const union = `(?:${alternatives.join('|')})`;
    return negated ? `(?:(?!${union})[\\s\\S])` : union;
  }

  private classAtom():
    { kind: 'char'; code: number } | { kind: 'set'; text: string; negated: boolean } {
    const position = this.i;
    const ch = this.chars[this.i++];
    if (ch !== '\\') return { kind: 'char', code: ch.codePointAt(0) as number };
    const next = this.chars[this.i++];
    if (next === undefined) throw reError('bad escape (end of pattern)');
    if ('dDwWsS'.includes(next)) {
      return {
        kind: 'set',
        text: classBody(next, this.flags.a),
        negated: next !== next.toLowerCase(),
      };
    }
    if (next === 'b') return { kind: 'char', code: 8 };
    if (/[0-7]/.test(next)) {
      let digits = next;
      while (digits.length < 3 && /[0-7]/.test(this.peek() ?? '')) digits += this.chars[this.i++];
      return { kind: 'char', code: parseInt(digits, 8) };
    }
    if (/[89]/.test(next)) throw reError(`bad escape \\${next} at position ${position}`);
    const code = this.literalEscape(next, position);
    return { kind: 'char', code: code ?? (next.codePointAt(0) as number) };
  }
}

// ---------------------------------------------------------------------------------------
// Compiled patterns

class CompiledPattern {
  private readonly regexps = new Map<string, RegExp>();

  constructor(
    readonly pattern: string,
    readonly translation: Translation,
  ) {}

  /** 'search' (global scan), 'sticky' (anchored at lastIndex), 'full', 'advance'. */
  regexp(mode: 'search' | 'sticky' | 'full' | 'advance'): RegExp {
    let re = this.regexps.get(mode);
    if (!re) {
      const { source, ignoreCase } = this.translation;
      const flags = `du${ignoreCase ? 'i' : ''}${mode === 'search' ? 'g' : 'y'}`;
      const body =
        mode === 'full'
          ? `(?:${source})(?![\\s\\S])`
          : mode === 'advance'
            ? // A non-empty match at lastIndex: the rest of the string at the end of the
              // match must differ from the rest at its start (one extra group, first).
              `(?=([\\s\\S]*))(?:${shiftBackreferences(source)})(?!\\1(?![\\s\\S]))`
            : source;
      try {
        re = new RegExp(body, flags);
      } catch (e) {
        throw reError(
          `pattern ${pyRepr(this.pattern)} cannot be compiled: ${(e as Error).message}`,
        );
      }
      this.regexps.set(mode, re);
    }
    re.lastIndex = 0;
    return re;
  }
}

/** In the 'advance' variant one group is inserted first: \N becomes \N+1. */
function shiftBackreferences(source: string): string {
  return source.replace(/\\[\s\S]|\(\?:\\(\d+)\)/g, (whole, n: string | undefined) =>
    n === undefined ? whole : `(?:\\${Number(n) + 1})`,
  );
}

const cache = new Map<string, CompiledPattern>();

function compilePattern(pattern: string, flags: number): CompiledPattern {
  const key = `${flags}:${pattern}`;
  let compiled = cache.get(key);
  if (!compiled) {
    compiled = new CompiledPattern(pattern, new Translator(pattern, flags).translate());
    // Compiled once per distinct pattern; the cache only bounds memory.
    if (cache.size > 500) cache.clear();
    cache.set(key, compiled);
  }
  return compiled;
}

// ---------------------------------------------------------------------------------------
// Python objects: Pattern and Match

function utf16ToPoint(s: string, index: number): number {
  if (!/[\uD800-\uDFFF]/.test(s)) return index;
  return Array.from(s.slice(0, index)).length;
}

export class PyMatch extends PyHostObject {
  readonly pyTypeName = 're.Match';

  constructor(
    private readonly pattern: PyPattern,
    private readonly string: string,
    private readonly result: RegExpExecArray,
    private readonly offset: number,
  ) {
    super();
  }

  /** The UTF-16 span of the whole match. */
  get span16(): [number, number] {
    const pair = (this.result.indices as RegExpIndicesArray)[0];
    return [pair[0], pair[1]];
  }

  private groupIndex(key: unknown): number {
    const { translation } = this.pattern.compiled;
    if (typeof key === 'string') {
      const index = translation.names.get(key);
      if (index === undefined) throw new PyError('IndexError', 'no such group');
      return index;
    }
    if (numKind(key) === 'int') {
      const index = Number(intOf(key));
      if (index < 0 || index > translation.groups) throw new PyError('IndexError', 'no such group');
      return index;
    }
    throw new PyError('IndexError', 'no such group');
  }

  group(index: number): string | null {
    const value = this.result[index === 0 ? 0 : index + this.offset];
    return value === undefined ? null : value;
  }

  span(index: number): [number, number] {
    const indices = this.result.indices;
    const pair = indices?.[index === 0 ? 0 : index + this.offset];
    if (!pair) return [-1, -1];
    return [utf16ToPoint(this.string, pair[0]), utf16ToPoint(this.string, pair[1])];
  }

  override pyGetItem(key: unknown): unknown {
    return this.group(this.groupIndex(key));
  }

  override pyRepr(): string {
    const [start, end] = this.span(0);
    return `<re.Match object; span=(${start}, ${end}), match=${pyRepr(this.group(0))}>`;
  }

  pyGetAttr(name: string): unknown {
    const groups = this.pattern.compiled.translation.groups;
    switch (name) {
      case 'group':
        return builtin('group', (_rt, args, kwargs) => {
          bindArgs('group', [], kwargs, [], 0);
          if (args.length === 0) return this.group(0);
          if (args.length === 1) return this.group(this.groupIndex(args[0]));
          return new PyTuple(args.map((a) => this.group(this.groupIndex(a))));
        });
      case 'groups':
        return builtin('groups', (_rt, args, kwargs) => {
          const [fallback] = bindArgs('groups', args, kwargs, ['default'], 0, ['default']);
          const out: unknown[] = [];
          for (let i = 1; i <= groups; i++) out.push(this.group(i) ?? fallback ?? null);
          return new PyTuple(out);
        });
      case 'groupdict':
        return builtin('groupdict', (_rt, args, kwargs) => {
          const [fallback] = bindArgs('groupdict', args, kwargs, ['default'], 0, ['default']);
          const dict = new PyDict();
          for (const [key, index] of this.pattern.compiled.translation.names) {
            dict.set(key, this.group(index) ?? fallback ?? null);
          }
          return dict;
        });
      case 'start':
      case 'end':
      case 'span':
        return builtin(name, (_rt, args, kwargs) => {
          const [key] = bindArgs(name, args, kwargs, ['group'], 0);
          const span = this.span(this.groupIndex(key ?? 0));
          return name === 'start' ? span[0] : name === 'end' ? span[1] : new PyTuple(span);
        });
      case 'string':
        return this.string;
      case 're':
        return this.pattern;
      case 'pos':
        return 0;
      case 'endpos':
        return Array.from(this.string).length;
    }
    return undefined;
  }
}

function requireString(v: unknown, fname: string): string {
  if (typeof v !== 'string') {
    throw typeError(`expected string or bytes-like object, got '${typeName(v)}' (${fname})`);
  }
  return v;
}

/** Runs a regexp from `at`, charging the text it went through. */
function execAt(rt: Runtime, re: RegExp, s: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  const result = re.exec(s);
  const reached = result ? (result.indices as RegExpIndicesArray)[0][1] : s.length;
  rt.charge(Math.max(0, reached - at));
  return result;
}

export class PyPattern extends PyHostObject {
  readonly pyTypeName = 're.Pattern';

  constructor(readonly compiled: CompiledPattern) {
    super();
  }

  override pyRepr(): string {
    return `re.compile(${pyRepr(this.compiled.pattern)})`;
  }

  match(rt: Runtime, s: string, mode: 'match' | 'search' | 'fullmatch'): PyMatch | null {
    const re = this.compiled.regexp(
      mode === 'match' ? 'sticky' : mode === 'search' ? 'search' : 'full',
    );
    const result = execAt(rt, re, s, 0);
    return result ? new PyMatch(this, s, result, 0) : null;
  }

  /** Successive matches, with Python's rule for empty matches. */
  *matches(rt: Runtime, s: string): Generator<PyMatch> {
    const search = this.compiled.regexp('search');
    let at = 0;
    let mustAdvance = false;
    while (at <= s.length) {
      rt.step();
      let match: PyMatch | null = null;
      if (mustAdvance) {
        // After an empty match, Python still accepts a non-empty match at the same place;
        // it can only exist when the pattern has choices (see Translation.choices).
        const result = this.compiled.translation.choices
          ? execAt(rt, this.compiled.regexp('advance'), s, at)
          : null;
        if (result) {
          rt.charge(s.length - at);
          match = new PyMatch(this, s, result, 1);
        } else {
          if (at >= s.length) return;
          at += (s.codePointAt(at) as number) > 0xffff ? 2 : 1;
        }
      }
      if (!match) {
        const result = execAt(rt, search, s, at);
        if (!result) return;
        match = new PyMatch(this, s, result, 0);
      }
      yield match;
      const [start, end] = match.span16;
      mustAdvance = start === end;
      at = end;
    }
  }

  findall(rt: Runtime, s: string): unknown[] {
    const out: unknown[] = [];
    const groups = this.compiled.translation.groups;
    for (const m of this.matches(rt, s)) {
      if (groups === 0) out.push(m.group(0));
      else if (groups === 1) out.push(m.group(1) ?? '');
      else {
        const items: string[] = [];
        for (let i = 1; i <= groups; i++) items.push(m.group(i) ?? '');
        out.push(new PyTuple(items));
      }
      checkItems(out.length);
    }
    return out;
  }

  split(rt: Runtime, s: string, maxsplit: number): string[] {
    const out: unknown[] = [];
    let last = 0;
    let count = 0;
    for (const m of this.matches(rt, s)) {
      if (maxsplit > 0 && count >= maxsplit) break;
      const [start, end] = m.span16;
      out.push(s.slice(last, start));
      for (let i = 1; i <= this.compiled.translation.groups; i++) out.push(m.group(i));
      last = end;
      count++;
      checkItems(out.length);
    }
    out.push(s.slice(last));
    return out as string[];
  }

  sub(rt: Runtime, repl: unknown, s: string, count: number): [string, number] {
    const template =
      typeof repl === 'string' ? parseTemplate(repl, this.compiled.translation) : null;
    let out = '';
    let last = 0;
    let n = 0;
    for (const m of this.matches(rt, s)) {
      if (count > 0 && n >= count) break;
      const [start, end] = m.span16;
      out += s.slice(last, start);
      if (template) {
        for (const part of template) out += typeof part === 'string' ? part : (m.group(part) ?? '');
      } else {
        const value = callValue(rt, repl, [m], emptyKwargs());
        out += requireString(value, 'sub() replacement');
      }
      checkStrLength(out.length);
      last = end;
      n++;
    }
    out += s.slice(last);
    checkStrLength(out.length);
    return [out, n];
  }

  pyGetAttr(name: string): unknown {
    const { translation } = this.compiled;
    switch (name) {
      case 'pattern':
        return this.compiled.pattern;
      case 'flags':
        return translation.flags;
      case 'groups':
        return translation.groups;
      case 'groupindex':
        return PyDict.fromEntries(translation.names);
      case 'match':
      case 'search':
      case 'fullmatch':
        return builtin(name, (rt, args, kwargs) => {
          const [s] = bindArgs(name, args, kwargs, ['string'], 1, ['string']);
          return this.match(rt, requireString(s, name), name);
        });
      case 'findall':
        return builtin(name, (rt, args, kwargs) => {
          const [s] = bindArgs(name, args, kwargs, ['string'], 1, ['string']);
          return this.findall(rt, requireString(s, name));
        });
      case 'finditer':
        return builtin(name, (rt, args, kwargs) => {
          const [s] = bindArgs(name, args, kwargs, ['string'], 1, ['string']);
          return new PyIterator('callable_iterator', this.matches(rt, requireString(s, name)));
        });
      case 'split':
        return builtin(name, (rt, args, kwargs) => {
          const [s, maxsplit] = bindArgs(name, args, kwargs, ['string', 'maxsplit'], 1, [
            'string',
            'maxsplit',
          ]);
          return this.split(rt, requireString(s, name), optionalCount(maxsplit));
        });
      case 'sub':
      case 'subn':
        return builtin(name, (rt, args, kwargs) => {
          const [repl, s, count] = bindArgs(name, args, kwargs, ['repl', 'string', 'count'], 2, [
            'repl',
            'string',
            'count',
          ]);
          const [text, n] = this.sub(rt, repl, requireString(s, name), optionalCount(count));
          return name === 'sub' ? text : new PyTuple([text, n]);
        });
    }
    return undefined;
  }
}

function optionalCount(v: unknown): number {
  if (v === undefined || v === null) return 0;
  if (numKind(v) !== 'int')
    throw typeError(`'${typeName(v)}' object cannot be interpreted as an integer`);
  return Number(intOf(v));
}

/** A replacement template: literal text and group numbers. */
function parseTemplate(template: string, translation: Translation): (string | number)[] {
  const parts: (string | number)[] = [];
  let text = '';
  const chars = Array.from(template);
  const group = (index: number, position: number): void => {
    if (index > translation.groups)
      throw reError(`invalid group reference ${index} at position ${position}`);
    parts.push(text, index);
    text = '';
  };
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch !== '\\') {
      text += ch;
      continue;
    }
    const position = i;
    const next = chars[++i];
    if (next === undefined) throw reError('bad escape (end of pattern)');
    if (next === 'g') {
      const m = /^<([^>]*)>/.exec(chars.slice(i + 1).join(''));
      if (!m) throw reError(`missing < at position ${position + 2}`);
      i += Array.from(m[0]).length;
      const name = m[1];
      if (/^\d+$/.test(name)) group(Number(name), position + 3);
      else {
        const index = translation.names.get(name);
        if (index === undefined) throw new PyError('IndexError', `unknown group name '${name}'`);
        group(index, position + 3);
      }
    } else if (next === '0') {
      let digits = '';
      while (digits.length < 2 && /[0-7]/.test(chars[i + 1] ?? '')) digits += chars[++i];
      text += String.fromCodePoint(parseInt(digits || '0', 8));
    } else if (/[1-9]/.test(next)) {
      let digits = next;
      if (/[0-9]/.test(chars[i + 1] ?? '')) {
        if (/[0-7]/.test(next) && /[0-7]/.test(chars[i + 1]) && /[0-7]/.test(chars[i + 2] ?? '')) {
          text += String.fromCodePoint(parseInt(next + chars[i + 1] + chars[i + 2], 8));
          i += 2;
          continue;
        }
        digits += chars[++i];
      }
      group(Number(digits), position + 1);
    } else {
      const simple: Record<string, string> = {
        a: '\x07',
        b: '\b',
        f: '\f',
        n: '\n',
        r: '\r',
        t: '\t',
        v: '\v',
        '\\': '\\',
      };
      if (next in simple) text += simple[next];
      else if (/[A-Za-z]/.test(next)) throw reError(`bad escape \\${next} at position ${position}`);
      else text += `\\${next}`;
    }
  }
  parts.push(text);
  return parts;
}

// ---------------------------------------------------------------------------------------
// The module

function patternOf(p: unknown, flags: unknown): PyPattern {
  const bits =
    flags === undefined || flags === null
      ? 0
      : numKind(flags) === 'int'
        ? Number(intOf(flags))
        : NaN;
  if (Number.isNaN(bits)) throw typeError(`flags must be an int, not ${typeName(flags)}`);
  if (p instanceof PyPattern) {
    if (bits !== 0)
      throw new PyError('ValueError', 'cannot process flags argument with a compiled pattern');
    return p;
  }
  if (typeof p !== 'string')
    throw typeError(`first argument must be string or compiled pattern, not ${typeName(p)}`);
  return new PyPattern(compilePattern(p, bits));
}

function moduleFunction(
  name: string,
  params: string[],
  required: number,
  run: (rt: Runtime, pattern: PyPattern, bound: unknown[]) => unknown,
) {
  return builtin(name, (rt, args, kwargs) => {
    const bound = bindArgs(name, args, kwargs, params, required, params);
    const flagsAt = params.indexOf('flags');
    return run(rt, patternOf(bound[0], bound[flagsAt]), bound);
  });
}

const escapeSpecial = new Set(Array.from('()[]{}?*+-|^$\\.&~# \t\n\r\v\f'));

export const reModule = new PyModule(
  're',
  new Map<string, unknown>([
    ['I', FLAG.I],
    ['IGNORECASE', FLAG.I],
    ['M', FLAG.M],
    ['MULTILINE', FLAG.M],
    ['S', FLAG.S],
    ['DOTALL', FLAG.S],
    ['X', FLAG.X],
    ['VERBOSE', FLAG.X],
    ['A', FLAG.A],
    ['ASCII', FLAG.A],
    ['U', FLAG.U],
    ['UNICODE', FLAG.U],
    [
      'compile',
      builtin('compile', (_rt, args, kwargs) => {
        const [p, flags] = bindArgs('compile', args, kwargs, ['pattern', 'flags'], 1, [
          'pattern',
          'flags',
        ]);
        return patternOf(p, flags);
      }),
    ],
    ...(['match', 'search', 'fullmatch'] as const).map(
      (name) =>
        [
          name,
          moduleFunction(name, ['pattern', 'string', 'flags'], 2, (rt, p, [, s]) =>
            p.match(rt, requireString(s, name), name),
          ),
        ] as [string, unknown],
    ),
    [
      'findall',
      moduleFunction('findall', ['pattern', 'string', 'flags'], 2, (rt, p, [, s]) =>
        p.findall(rt, requireString(s, 'findall')),
      ),
    ],
    [
      'finditer',
      moduleFunction(
        'finditer',
        ['pattern', 'string', 'flags'],
        2,
        (rt, p, [, s]) =>
          new PyIterator('callable_iterator', p.matches(rt, requireString(s, 'finditer'))),
      ),
    ],
    [
      'split',
      moduleFunction(
        'split',
        ['pattern', 'string', 'maxsplit', 'flags'],
        2,
        (rt, p, [, s, maxsplit]) => p.split(rt, requireString(s, 'split'), optionalCount(maxsplit)),
      ),
    ],
    [
      'sub',
      moduleFunction(
        'sub',
        ['pattern', 'repl', 'string', 'count', 'flags'],
        3,
        (rt, p, [, repl, s, count]) =>
          p.sub(rt, repl, requireString(s, 'sub'), optionalCount(count))[0],
      ),
    ],
    [
      'subn',
      moduleFunction(
        'subn',
        ['pattern', 'repl', 'string', 'count', 'flags'],
        3,
        (rt, p, [, repl, s, count]) =>
          new PyTuple(p.sub(rt, repl, requireString(s, 'subn'), optionalCount(count))),
      ),
    ],
    [
      'escape',
      builtin('escape', (_rt, args, kwargs) => {
        const [s] = bindArgs('escape', args, kwargs, ['pattern'], 1, ['pattern']);
        return Array.from(requireString(s, 'escape'))
          .map((ch) => (escapeSpecial.has(ch) ? `\\${ch}` : ch))
          .join('');
      }),
    ],
  ]),
);
