/** The tokenizer of Python 3 expressions. */
import { PyError, SourcePosition } from './errors';
import { normInt } from './numbers';
import { mkFloat } from './values';

export type TokenKind = 'name' | 'number' | 'string' | 'op' | 'newline' | 'end';

export interface Token {
  kind: TokenKind;
  /** The name, operator, or decoded value (string, number, bigint, PyFloat). */
  value: unknown;
  text: string;
  offset: number;
  line: number;
  column: number;
}

export const KEYWORDS = new Set([
  'False',
  'None',
  'True',
  'and',
  'as',
  'assert',
  'async',
  'await',
  'break',
  'class',
  'continue',
  'def',
  'del',
  'elif',
  'else',
  'except',
  'finally',
  'for',
  'from',
  'global',
  'if',
  'import',
  'in',
  'is',
  'lambda',
  'nonlocal',
  'not',
  'or',
  'pass',
  'raise',
  'return',
  'try',
  'while',
  'with',
  'yield',
]);

const OPERATORS = [
  '**=',
  '//=',
  '>>=',
  '<<=',
  '...',
  '!=',
  '%=',
  '&=',
  '**',
  '*=',
  '+=',
  '-=',
  '->',
  '//',
  '/=',
  ':=',
  '<<',
  '<=',
  '==',
  '>=',
  '>>',
  '@=',
  '^=',
  '|=',
  '%',
  '&',
  '(',
  ')',
  '*',
  '+',
  ',',
  '-',
  '.',
  '/',
  ':',
  ';',
  '<',
  '=',
  '>',
  '@',
  '[',
  ']',
  '^',
  '{',
  '|',
  '}',
  '~',
];

const NAME_START = /[\p{L}\p{Nl}_]/u;
const NAME_CONTINUE = /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}_]/u;

export class Lexer {
  private i = 0;
  private line = 1;
  private lineStart = 0;
  private depth = 0;
  readonly tokens: Token[] = [];

  constructor(private readonly source: string) {}

  // Columns count code points, as Python's do; counted incrementally along the line.
  private columnOffset = 0;
  private column = 1;

  private position(offset = this.i): SourcePosition {
    if (offset < this.lineStart) return positionAt(this.source, offset);
    if (offset < this.columnOffset) {
      return { line: this.line, column: codePointCount(this.source, this.lineStart, offset) + 1 };
    }
    this.column += codePointCount(this.source, this.columnOffset, offset);
    this.columnOffset = offset;
    return { line: this.line, column: this.column };
  }

  error(type: string, message: string, offset = this.i): PyError {
    return new PyError(type, message, this.position(offset));
  }

  private push(kind: TokenKind, value: unknown, start: number, at = this.position(start)): void {
    const { line, column } = at;
    this.tokens.push({
      kind,
      value,
      text: this.source.slice(start, this.i),
      offset: start,
      line,
      column,
    });
  }

  private newline(at: number): void {
    this.line++;
    this.lineStart = at + 1;
    this.columnOffset = this.lineStart;
    this.column = 1;
  }

  tokenize(): Token[] {
    const s = this.source;
    while (this.i < s.length) {
      const ch = s[this.i];
      if (ch === ' ' || ch === '\t' || ch === '\f') {
        this.i++;
      } else if (
        ch === '\\' &&
        (s[this.i + 1] === '\n' || (s[this.i + 1] === '\r' && s[this.i + 2] === '\n'))
      ) {
        this.i += s[this.i + 1] === '\n' ? 2 : 3;
        this.newline(this.i - 1);
      } else if (ch === '\n' || ch === '\r') {
        const start = this.i;
        this.i += ch === '\r' && s[this.i + 1] === '\n' ? 2 : 1;
        if (this.depth === 0) this.push('newline', '\n', start);
        this.newline(this.i - 1);
      } else if (ch === '#') {
        while (this.i < s.length && s[this.i] !== '\n' && s[this.i] !== '\r') this.i++;
      } else if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(s[this.i + 1] ?? ''))) {
        this.number();
      } else if (ch === '"' || ch === "'") {
        this.string('');
      } else {
        const cp = String.fromCodePoint(s.codePointAt(this.i) as number);
        if (NAME_START.test(cp)) this.nameOrPrefixedString();
        else this.operator();
      }
    }
    this.push('end', null, this.i);
    return this.tokens;
  }

  private nameOrPrefixedString(): void {
    const s = this.source;
    const start = this.i;
    while (this.i < s.length) {
      const cp = String.fromCodePoint(s.codePointAt(this.i) as number);
      if (!NAME_CONTINUE.test(cp)) break;
      this.i += cp.length;
    }
    const name = s.slice(start, this.i).normalize('NFKC');
    if ((s[this.i] === '"' || s[this.i] === "'") && /^(r|u|b|br|rb|f|fr|rf)$/i.test(name)) {
      const prefix = name.toLowerCase();
      if (prefix.includes('f')) {
        throw this.error(
          'UnsupportedError',
          'f-strings are not supported; use % or str.format()',
          start,
        );
      }
      if (prefix.includes('b')) {
        throw this.error('UnsupportedError', 'bytes literals are not supported', start);
      }
      this.i = start;
      this.string(prefix);
      return;
    }
    this.push('name', name, start);
  }

  private operator(): void {
    const s = this.source;
    const start = this.i;
    for (const op of OPERATORS) {
      if (s.startsWith(op, this.i)) {
        this.i += op.length;
        if (op === '(' || op === '[' || op === '{') this.depth++;
        else if (op === ')' || op === ']' || op === '}') this.depth = Math.max(0, this.depth - 1);
        this.push('op', op, start);
        return;
      }
    }
    const cp = String.fromCodePoint(s.codePointAt(this.i) as number);
    if (cp === '!')
      throw this.error('SyntaxError', "invalid syntax: '!' (did you mean 'not' or '!='?)");
    if (cp === '$' || cp === '?' || cp === '`')
      throw this.error('SyntaxError', `invalid character '${cp}'`);
    throw this.error(
      'SyntaxError',
      `invalid character '${cp}' (U+${(cp.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')})`,
    );
  }

  private number(): void {
    const s = this.source;
    const start = this.i;
    const rest = s.slice(this.i);
    const radix = /^0([xX](?:_?[0-9a-fA-F])+|[oO](?:_?[0-7])+|[bB](?:_?[01])+)/.exec(rest);
    let text: string;
    let value: unknown;
    if (radix) {
      text = radix[0];
      const base = { x: 16, o: 8, b: 2 }[text[1].toLowerCase() as 'x'];
      const digits = text.slice(2).replace(/_/g, '');
      let n = 0n;
      for (const d of digits) n = n * BigInt(base) + BigInt(parseInt(d, 16));
      value = normInt(n);
    } else {
      const m = /^(?:\d(?:_?\d)*)?(?:\.(?:\d(?:_?\d)*)?)?(?:[eE][-+]?\d(?:_?\d)*)?/.exec(
        rest,
      ) as RegExpExecArray;
      text = m[0];
      const clean = text.replace(/_/g, '');
      if (/[.eE]/.test(clean)) value = mkFloat(Number(clean));
      else {
        if (/^0+[1-9]/.test(clean)) {
          throw this.error(
            'SyntaxError',
            'leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers',
          );
        }
        value = normInt(BigInt(clean));
      }
    }
    this.i += text.length;
    const next = s[this.i] ?? '';
    if (next === 'j' || next === 'J') {
      throw this.error('UnsupportedError', 'complex number literals are not supported', start);
    }
    if (/[\p{L}\p{N}_]/u.test(next))
      throw this.error('SyntaxError', 'invalid decimal literal', this.i);
    this.push('number', value, start);
  }

  private string(prefix: string): void {
    const s = this.source;
    const start = this.i;
    const at = this.position(start);
    this.i += prefix.length;
    const quote = s[this.i];
    const triple = s.startsWith(quote.repeat(3), this.i);
    const delimiter = triple ? quote.repeat(3) : quote;
    this.i += delimiter.length;
    const raw = prefix.includes('r');
    let value = '';
    for (;;) {
      if (this.i >= s.length) {
        throw this.error(
          'SyntaxError',
          triple ? 'unterminated triple-quoted string literal' : 'unterminated string literal',
          start,
        );
      }
      const ch = s[this.i];
      if (s.startsWith(delimiter, this.i)) {
        this.i += delimiter.length;
        break;
      }
      if (ch === '\n' || ch === '\r') {
        if (!triple) throw this.error('SyntaxError', 'unterminated string literal', start);
        this.newline(this.i);
        value += ch;
        this.i++;
        continue;
      }
      if (ch !== '\\') {
        value += ch;
        this.i++;
        continue;
      }
      if (raw) {
        // A raw string keeps the backslash; it still escapes a quote or a newline.
        value += ch + (s[this.i + 1] ?? '');
        if (s[this.i + 1] === '\n') this.newline(this.i + 1);
        this.i += 2;
        continue;
      }
      value += this.escape();
    }
    this.push('string', value, start, at);
  }

  private escape(): string {
    const s = this.source;
    const at = this.i;
    const ch = s[this.i + 1];
    this.i += 2;
    const simple: Record<string, string> = {
      '\n': '',
      '\\': '\\',
      "'": "'",
      '"': '"',
      a: '\x07',
      b: '\b',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
      v: '\v',
    };
    if (ch === undefined) throw this.error('SyntaxError', 'unterminated string literal', at);
    if (ch === '\n') this.newline(at + 1);
    if (ch in simple) return simple[ch];
    if (/[0-7]/.test(ch)) {
      let digits = ch;
      while (digits.length < 3 && /[0-7]/.test(s[this.i] ?? '')) digits += s[this.i++];
      return String.fromCodePoint(parseInt(digits, 8));
    }
    const hexLength = ch === 'x' ? 2 : ch === 'u' ? 4 : ch === 'U' ? 8 : 0;
    if (hexLength) {
      const hex = s.slice(this.i, this.i + hexLength);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(hex)) {
        throw this.error(
          'SyntaxError',
          `(unicode error) 'unicodeescape' codec can't decode bytes: truncated \\${ch}${'X'.repeat(hexLength)} escape`,
          at,
        );
      }
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) {
        throw this.error(
          'SyntaxError',
          "(unicode error) 'unicodeescape' codec can't decode bytes: illegal Unicode character",
          at,
        );
      }
      this.i += hexLength;
      return String.fromCodePoint(code);
    }
    if (ch === 'N') throw this.error('UnsupportedError', '\\N{...} escapes are not supported', at);
    // Unknown escapes keep their backslash (Python warns but accepts them).
    return `\\${ch}`;
  }
}

function codePointCount(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    const previous = i > from ? s.charCodeAt(i - 1) : 0;
    // A low surrogate after a high one is the second half of one code point.
    if (!(c >= 0xdc00 && c <= 0xdfff && previous >= 0xd800 && previous <= 0xdbff)) n++;
  }
  return n;
}

/** Line and column (1-based, in code points) of an offset of the source. */
export function positionAt(source: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const c = source[i];
    if (c === '\n' || (c === '\r' && source[i + 1] !== '\n')) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: codePointCount(source, lineStart, offset) + 1 };
}

export function tokenize(source: string): Token[] {
  return new Lexer(source).tokenize();
}
