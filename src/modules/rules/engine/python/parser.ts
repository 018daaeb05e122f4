/**
 * A recursive-descent parser following Python 3's expression grammar and precedence:
 * conditional < or < and < not < comparisons < | < ^ < & < shifts < + - < * / // % @ <
 * unary - + ~ < ** < await/primary. Constructs outside the supported subset are refused
 * with an UnsupportedError naming them and their position.
 */
import type { CompareOp, Comprehension, Expr, Keyword, Target } from './ast';
import { PyError, SourcePosition } from './errors';
import { KEYWORDS, Token, tokenize } from './lexer';
import type { BinaryOp } from './ops';

/** Deepest nesting of brackets, unary operators and conditional expressions accepted. */
export const MAX_NESTING = 100;

const COMPARE_OPS = new Set(['<', '>', '==', '>=', '<=', '!=']);
const AUGMENTED = new Set([
  '+=',
  '-=',
  '*=',
  '/=',
  '//=',
  '%=',
  '**=',
  '>>=',
  '<<=',
  '&=',
  '^=',
  '|=',
  '@=',
]);

/** Keywords that start statements: an expression can never contain them. */
const STATEMENT_KEYWORDS = new Set([
  'assert',
  'break',
  'class',
  'continue',
  'def',
  'del',
  'elif',
  'except',
  'finally',
  'from',
  'global',
  'import',
  'nonlocal',
  'pass',
  'raise',
  'return',
  'try',
  'while',
  'with',
  'as',
]);

export class Parser {
  private readonly tokens: Token[];
  private i = 0;
  private depth = 0;

  constructor(source: string) {
    const all = tokenize(source);
    // Newlines outside brackets are only allowed around the expression.
    const first = all.findIndex((t) => t.kind !== 'newline');
    let last = all.length - 2;
    while (last >= 0 && all[last].kind === 'newline') last--;
    this.tokens = all.filter((t, i) => t.kind !== 'newline' || (i > first && i < last));
  }

  parse(): Expr {
    if (this.peek().kind === 'end') throw this.syntaxError('empty expression', this.peek());
    const first = this.peek();
    // The expression is the body of a lambda, as in fedbadges: a bare `a, b` there would
    // make a tuple holding the lambda, so it is refused (parenthesise a tuple).
    const expr = this.starNamedExpression();
    if (expr.type === 'Starred') throw this.syntaxError("can't use starred expression here", first);
    const next = this.peek();
    if (this.isOp(',')) {
      throw this.syntaxError(
        'a bare tuple is not an expression body; put the tuple in parentheses',
        next,
      );
    }
    if (next.kind !== 'end') this.unexpected(next);
    return expr;
  }

  // -------------------------------------------------------------------------------------
  // Tokens

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'end') this.i++;
    return t;
  }

  private isOp(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'op' && t.value === value;
  }

  private isKeyword(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'name' && t.value === value;
  }

  private acceptOp(value: string): boolean {
    if (!this.isOp(value)) return false;
    this.i++;
    return true;
  }

  private acceptKeyword(value: string): boolean {
    if (!this.isKeyword(value)) return false;
    this.i++;
    return true;
  }

  private expectOp(value: string): Token {
    const t = this.peek();
    if (!this.isOp(value)) {
      if (t.kind === 'end')
        throw this.syntaxError(`expected '${value}' but the expression ended`, t);
      this.unexpected(t, `expected '${value}'`);
    }
    return this.next();
  }

  private pos(t: Token): SourcePosition {
    return { line: t.line, column: t.column };
  }

  private syntaxError(message: string, t: Token): PyError {
    return new PyError('SyntaxError', message, this.pos(t));
  }

  private unsupported(what: string, t: Token): never {
    throw new PyError('UnsupportedError', `${what} not supported`, this.pos(t));
  }

  private unexpected(t: Token, hint?: string): never {
    if (t.kind === 'newline') {
      throw this.syntaxError('a line break outside brackets ends the expression too early', t);
    }
    if (t.kind === 'op') {
      const op = t.value as string;
      if (op === ':=') this.unsupported('assignment expressions (:=) are', t);
      if (op === '=' || AUGMENTED.has(op)) {
        throw this.syntaxError(`assignments are not expressions ('${op}'); did you mean '=='?`, t);
      }
      if (op === ';')
        throw this.syntaxError("';' separates statements, which are not supported", t);
    }
    if (t.kind === 'name') this.keywordCheck(t);
    const what = t.kind === 'end' ? 'end of expression' : `'${t.text}'`;
    throw this.syntaxError(`invalid syntax: unexpected ${what}${hint ? ` (${hint})` : ''}`, t);
  }

  /** Refuses keywords that cannot start or continue an expression. */
  private keywordCheck(t: Token): void {
    const name = t.value as string;
    if (name === 'lambda') this.unsupported('lambda expressions are', t);
    if (name === 'await') this.unsupported('await expressions are', t);
    if (name === 'yield') this.unsupported('yield expressions are', t);
    if (name === 'async') this.unsupported('async comprehensions are', t);
    if (STATEMENT_KEYWORDS.has(name)) {
      throw this.syntaxError(`'${name}' starts a statement; only an expression is allowed`, t);
    }
  }

  private enter(t: Token): void {
    if (++this.depth > MAX_NESTING) {
      throw this.syntaxError(`expression nested too deeply (more than ${MAX_NESTING} levels)`, t);
    }
  }

  private leave(): void {
    this.depth--;
  }

  // -------------------------------------------------------------------------------------
  // Expressions

  private starNamedExpression(): Expr {
    const t = this.peek();
    if (this.acceptOp('*')) {
      return { type: 'Starred', value: this.bitOr(), pos: this.pos(t) };
    }
    return this.namedExpression();
  }

  private namedExpression(): Expr {
    const expr = this.expression();
    if (this.isOp(':=')) this.unsupported('assignment expressions (:=) are', this.peek());
    return expr;
  }

  private expression(): Expr {
    const t = this.peek();
    if (this.isKeyword('lambda')) this.unsupported('lambda expressions are', t);
    const body = this.disjunction();
    if (!this.acceptKeyword('if')) return body;
    const test = this.disjunction();
    if (!this.acceptKeyword('else')) {
      throw this.syntaxError("expected 'else' after 'if' expression", this.peek());
    }
    this.enter(t);
    try {
      const orelse = this.expression();
      return { type: 'IfExp', test, body, orelse, pos: this.pos(t) };
    } finally {
      this.leave();
    }
  }

  private disjunction(): Expr {
    const t = this.peek();
    const first = this.conjunction();
    if (!this.isKeyword('or')) return first;
    const values = [first];
    while (this.acceptKeyword('or')) values.push(this.conjunction());
    return { type: 'BoolOp', op: 'or', values, pos: this.pos(t) };
  }

  private conjunction(): Expr {
    const t = this.peek();
    const first = this.inversion();
    if (!this.isKeyword('and')) return first;
    const values = [first];
    while (this.acceptKeyword('and')) values.push(this.inversion());
    return { type: 'BoolOp', op: 'and', values, pos: this.pos(t) };
  }

  private inversion(): Expr {
    const t = this.peek();
    if (this.acceptKeyword('not')) {
      this.enter(t);
      try {
        return { type: 'Not', operand: this.inversion(), pos: this.pos(t) };
      } finally {
        this.leave();
      }
    }
    return this.comparison();
  }

  private compareOp(): CompareOp | null {
    const t = this.peek();
    if (t.kind === 'op' && COMPARE_OPS.has(t.value as string)) {
      this.i++;
      return t.value as CompareOp;
    }
    if (this.isKeyword('in')) {
      this.i++;
      return 'in';
    }
    if (this.isKeyword('not') && this.isKeyword('in', 1)) {
      this.i += 2;
      return 'not in';
    }
    if (this.isKeyword('is')) {
      this.i++;
      return this.acceptKeyword('not') ? 'is not' : 'is';
    }
    return null;
  }

  private comparison(): Expr {
    const t = this.peek();
    const left = this.bitOr();
    const ops: CompareOp[] = [];
    const comparators: Expr[] = [];
    for (let op = this.compareOp(); op !== null; op = this.compareOp()) {
      ops.push(op);
      comparators.push(this.bitOr());
    }
    if (ops.length === 0) return left;
    return { type: 'Compare', left, ops, comparators, pos: this.pos(t) };
  }

  private binaryLevel(ops: readonly string[], operand: () => Expr): Expr {
    const t = this.peek();
    let left = operand();
    for (;;) {
      const next = this.peek();
      if (next.kind !== 'op' || !ops.includes(next.value as string)) return left;
      this.i++;
      const right = operand();
      left = { type: 'BinOp', op: next.value as BinaryOp, left, right, pos: this.pos(t) };
    }
  }

  private bitOr(): Expr {
    return this.binaryLevel(['|'], () => this.bitXor());
  }

  private bitXor(): Expr {
    return this.binaryLevel(['^'], () => this.bitAnd());
  }

  private bitAnd(): Expr {
    return this.binaryLevel(['&'], () => this.shift());
  }

  private shift(): Expr {
    return this.binaryLevel(['<<', '>>'], () => this.sum());
  }

  private sum(): Expr {
    return this.binaryLevel(['+', '-'], () => this.term());
  }

  private term(): Expr {
    return this.binaryLevel(['*', '/', '//', '%', '@'], () => this.factor());
  }

  private factor(): Expr {
    const t = this.peek();
    if (t.kind === 'op' && (t.value === '-' || t.value === '+' || t.value === '~')) {
      this.i++;
      this.enter(t);
      try {
        const operand = this.factor();
        return { type: 'UnaryOp', op: t.value as '-' | '+' | '~', operand, pos: this.pos(t) };
      } finally {
        this.leave();
      }
    }
    return this.power();
  }

  private power(): Expr {
    const t = this.peek();
    if (this.isKeyword('await')) this.unsupported('await expressions are', t);
    const base = this.primary();
    if (!this.acceptOp('**')) return base;
    this.enter(t);
    try {
      const exponent = this.factor();
      return { type: 'BinOp', op: '**', left: base, right: exponent, pos: this.pos(t) };
    } finally {
      this.leave();
    }
  }

  private primary(): Expr {
    let expr = this.atom();
    for (;;) {
      const t = this.peek();
      if (this.acceptOp('.')) {
        const name = this.next();
        if (name.kind !== 'name' || KEYWORDS.has(name.value as string)) {
          throw this.syntaxError("expected an attribute name after '.'", name);
        }
        expr = { type: 'Attribute', value: expr, attr: name.value as string, pos: this.pos(name) };
      } else if (this.isOp('(')) {
        this.next();
        this.enter(t);
        try {
          expr = this.call(expr, t);
        } finally {
          this.leave();
        }
      } else if (this.isOp('[')) {
        this.next();
        this.enter(t);
        try {
          expr = { type: 'Subscript', value: expr, index: this.slices(), pos: this.pos(t) };
          this.expectOp(']');
        } finally {
          this.leave();
        }
      } else return expr;
    }
  }

  private call(func: Expr, open: Token): Expr {
    const args: Expr[] = [];
    const keywords: Keyword[] = [];
    const seen = new Set<string>();
    while (!this.isOp(')')) {
      const t = this.peek();
      if (this.acceptOp('**')) {
        keywords.push({ name: null, value: this.expression() });
      } else if (this.acceptOp('*')) {
        if (keywords.some((k) => k.name === null)) {
          throw this.syntaxError(
            'iterable argument unpacking follows keyword argument unpacking',
            t,
          );
        }
        args.push({ type: 'Starred', value: this.expression(), pos: this.pos(t) });
      } else if (t.kind === 'name' && this.isOp('=', 1) && !KEYWORDS.has(t.value as string)) {
        this.i += 2;
        const name = t.value as string;
        if (seen.has(name)) throw this.syntaxError(`keyword argument repeated: ${name}`, t);
        seen.add(name);
        keywords.push({ name, value: this.expression() });
      } else {
        if (keywords.length > 0) {
          throw this.syntaxError(
            keywords.some((k) => k.name === null)
              ? 'positional argument follows keyword argument unpacking'
              : 'positional argument follows keyword argument',
            t,
          );
        }
        const value = this.namedExpression();
        if (this.isKeyword('for') || this.isKeyword('async')) {
          const generators = this.comprehensionClauses();
          if (args.length > 0 || keywords.length > 0 || !this.isOp(')')) {
            throw this.syntaxError('Generator expression must be parenthesized', t);
          }
          args.push({ type: 'GeneratorExp', elt: value, generators, pos: this.pos(t) });
          continue;
        }
        args.push(value);
      }
      if (!this.acceptOp(',')) break;
    }
    if (!this.isOp(')')) {
      const t = this.peek();
      if (t.kind === 'end') throw this.syntaxError("'(' was never closed", open);
      this.unexpected(t, "expected ',' or ')' in the call");
    }
    this.next();
    return { type: 'Call', func, args, keywords, pos: this.pos(open) };
  }

  private slices(): Expr {
    const t = this.peek();
    const first = this.sliceItem();
    if (!this.isOp(',')) return first;
    const elts = [first];
    while (this.acceptOp(',')) {
      if (this.isOp(']')) break;
      elts.push(this.sliceItem());
    }
    return { type: 'Tuple', elts, pos: this.pos(t) };
  }

  private sliceItem(): Expr {
    const t = this.peek();
    let lower: Expr | null = null;
    if (!this.isOp(':')) {
      if (this.isOp('*')) return this.starNamedExpression();
      lower = this.namedExpression();
      if (!this.isOp(':')) return lower;
    }
    this.expectOp(':');
    const upper = this.isOp(':') || this.isOp(']') || this.isOp(',') ? null : this.expression();
    let step: Expr | null = null;
    if (this.acceptOp(':')) {
      step = this.isOp(']') || this.isOp(',') ? null : this.expression();
    }
    return { type: 'Slice', lower, upper, step, pos: this.pos(t) };
  }

  // -------------------------------------------------------------------------------------
  // Atoms

  private atom(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'number':
        this.next();
        return { type: 'Constant', value: t.value, pos: this.pos(t) };
      case 'string': {
        let value = '';
        while (this.peek().kind === 'string') value += this.next().value as string;
        return { type: 'Constant', value, pos: this.pos(t) };
      }
      case 'name': {
        const name = t.value as string;
        if (name === 'True' || name === 'False' || name === 'None') {
          this.next();
          return {
            type: 'Constant',
            value: name === 'None' ? null : name === 'True',
            pos: this.pos(t),
          };
        }
        if (KEYWORDS.has(name)) {
          this.keywordCheck(t);
          this.unexpected(t);
        }
        this.next();
        return { type: 'Name', id: name, pos: this.pos(t) };
      }
      case 'op':
        switch (t.value) {
          case '(':
            return this.parenthesized();
          case '[':
            return this.listDisplay();
          case '{':
            return this.braceDisplay();
          case '...':
            this.unsupported('the Ellipsis literal (...) is', t);
        }
    }
    if (t.kind === 'end')
      throw this.syntaxError('invalid syntax: the expression ends too early', t);
    this.unexpected(t);
  }

  private bracketed<T>(open: Token, body: () => T): T {
    this.next();
    this.enter(open);
    try {
      return body();
    } finally {
      this.leave();
    }
  }

  private closing(close: string, open: Token): void {
    if (this.isOp(close)) {
      this.next();
      return;
    }
    const t = this.peek();
    if (t.kind === 'end') throw this.syntaxError(`'${open.text}' was never closed`, open);
    this.unexpected(t, `expected '${close}'`);
  }

  private parenthesized(): Expr {
    const open = this.peek();
    return this.bracketed(open, () => {
      if (this.isOp(')')) {
        this.next();
        return { type: 'Tuple', elts: [], pos: this.pos(open) };
      }
      if (this.isKeyword('yield')) this.unsupported('yield expressions are', this.peek());
      const first = this.starNamedExpression();
      if (this.isKeyword('for') || this.isKeyword('async')) {
        if (first.type === 'Starred') {
          throw this.syntaxError('iterable unpacking cannot be used in comprehension', open);
        }
        const generators = this.comprehensionClauses();
        this.closing(')', open);
        return { type: 'GeneratorExp', elt: first, generators, pos: this.pos(open) };
      }
      if (!this.isOp(',')) {
        if (first.type === 'Starred')
          throw this.syntaxError("can't use starred expression here", open);
        this.closing(')', open);
        return first;
      }
      const elts = [first];
      while (this.acceptOp(',')) {
        if (this.isOp(')')) break;
        elts.push(this.starNamedExpression());
      }
      this.closing(')', open);
      return { type: 'Tuple', elts, pos: this.pos(open) };
    });
  }

  private listDisplay(): Expr {
    const open = this.peek();
    return this.bracketed(open, () => {
      if (this.isOp(']')) {
        this.next();
        return { type: 'List', elts: [], pos: this.pos(open) };
      }
      const first = this.starNamedExpression();
      if (this.isKeyword('for') || this.isKeyword('async')) {
        if (first.type === 'Starred') {
          throw this.syntaxError('iterable unpacking cannot be used in comprehension', open);
        }
        const generators = this.comprehensionClauses();
        this.closing(']', open);
        return { type: 'ListComp', elt: first, generators, pos: this.pos(open) };
      }
      const elts = [first];
      while (this.acceptOp(',')) {
        if (this.isOp(']')) break;
        elts.push(this.starNamedExpression());
      }
      this.closing(']', open);
      return { type: 'List', elts, pos: this.pos(open) };
    });
  }

  private braceDisplay(): Expr {
    const open = this.peek();
    return this.bracketed(open, () => {
      if (this.isOp('}')) {
        this.next();
        return { type: 'Dict', keys: [], values: [], pos: this.pos(open) };
      }
      if (this.isOp('**')) return this.dictRest(open, null);
      const first = this.starNamedExpression();
      if (this.acceptOp(':')) {
        if (first.type === 'Starred')
          throw this.syntaxError("can't use a starred expression in a dict", open);
        const value = this.expression();
        if (this.isKeyword('for') || this.isKeyword('async')) {
          const generators = this.comprehensionClauses();
          this.closing('}', open);
          return { type: 'DictComp', key: first, value, generators, pos: this.pos(open) };
        }
        return this.dictRest(open, [first, value]);
      }
      if (this.isKeyword('for') || this.isKeyword('async')) {
        if (first.type === 'Starred') {
          throw this.syntaxError('iterable unpacking cannot be used in comprehension', open);
        }
        const generators = this.comprehensionClauses();
        this.closing('}', open);
        return { type: 'SetComp', elt: first, generators, pos: this.pos(open) };
      }
      const elts = [first];
      while (this.acceptOp(',')) {
        if (this.isOp('}')) break;
        elts.push(this.starNamedExpression());
      }
      this.closing('}', open);
      return { type: 'Set', elts, pos: this.pos(open) };
    });
  }

  private dictRest(open: Token, first: [Expr, Expr] | null): Expr {
    const keys: (Expr | null)[] = [];
    const values: Expr[] = [];
    if (first) {
      keys.push(first[0]);
      values.push(first[1]);
      if (!this.acceptOp(',')) {
        this.closing('}', open);
        return { type: 'Dict', keys, values, pos: this.pos(open) };
      }
    }
    while (!this.isOp('}')) {
      if (this.acceptOp('**')) {
        keys.push(null);
        values.push(this.bitOr());
      } else {
        keys.push(this.expression());
        this.expectOp(':');
        values.push(this.expression());
      }
      if (!this.acceptOp(',')) break;
    }
    this.closing('}', open);
    return { type: 'Dict', keys, values, pos: this.pos(open) };
  }

  // -------------------------------------------------------------------------------------
  // Comprehensions

  private comprehensionClauses(): Comprehension[] {
    const generators: Comprehension[] = [];
    while (this.isKeyword('for') || this.isKeyword('async')) {
      if (this.isKeyword('async')) this.unsupported('async comprehensions are', this.peek());
      this.next();
      const target = this.targetList();
      if (!this.acceptKeyword('in')) {
        const t = this.peek();
        throw this.syntaxError("expected 'in' after the 'for' target", t);
      }
      const iter = this.disjunction();
      const ifs: Expr[] = [];
      while (this.acceptKeyword('if')) ifs.push(this.disjunction());
      generators.push({ target, iter, ifs });
    }
    return generators;
  }

  /** star_targets: `x`, `k, v`, `(a, (b, c))`, `[a, *rest]`. */
  private targetList(): Target {
    const t = this.peek();
    const first = this.target();
    if (!this.isOp(',')) return first;
    const elts = [first];
    while (this.acceptOp(',')) {
      if (this.isKeyword('in')) break;
      elts.push(this.target());
    }
    return this.unpack(elts, t);
  }

  private unpack(elts: Target[], t: Token): Target {
    if (elts.filter((e) => e.type === 'StarTarget').length > 1) {
      throw this.syntaxError('multiple starred expressions in assignment', t);
    }
    return { type: 'Unpack', elts, pos: this.pos(t) };
  }

  private target(): Target {
    const t = this.peek();
    if (this.acceptOp('*')) {
      this.enter(t);
      try {
        return { type: 'StarTarget', target: this.target(), pos: this.pos(t) };
      } finally {
        this.leave();
      }
    }
    if (this.isOp('(') || this.isOp('[')) {
      const close = this.isOp('(') ? ')' : ']';
      return this.bracketed(t, () => {
        if (this.isOp(close)) {
          this.next();
          return this.unpack([], t);
        }
        const first = this.target();
        if (close === ')' && this.isOp(')')) {
          this.next();
          return first;
        }
        const elts = [first];
        while (this.acceptOp(',')) {
          if (this.isOp(close)) break;
          elts.push(this.target());
        }
        this.closing(close, t);
        return this.unpack(elts, t);
      });
    }
    if (t.kind === 'name' && !KEYWORDS.has(t.value as string)) {
      this.next();
      if (this.isOp('.') || this.isOp('[')) {
        this.unsupported(
          'assigning to attributes or items in a comprehension target is',
          this.peek(),
        );
      }
      return { type: 'Name', id: t.value as string, pos: this.pos(t) };
    }
    if (t.kind === 'name') this.keywordCheck(t);
    throw this.syntaxError('cannot assign to this in a comprehension target', t);
  }
}

export function parse(source: string): Expr {
  return new Parser(source).parse();
}
