/**
 * A safe interpreter of Python 3 expressions, for the `lambda:` strings of badge rules.
 * Pure: no I/O, no clock, no JavaScript `eval`. See README.md in this folder for the
 * supported subset, the value model and the limits.
 */
import { Code, Compiler, Env } from './compiler';
import { PyError } from './errors';
import { KEYWORDS } from './lexer';
import { truthy as pyTruthy, pyEquals as equals } from './ops';
import type { Expr } from './ast';
import { parse } from './parser';
import { pyRepr as repr, pyStr as str } from './repr';
import { DEFAULT_STEP_LIMIT, Runtime } from './runtime';
import { toJs as convert } from './convert';

export { PyError } from './errors';
export type { SourcePosition } from './errors';
export type * as Ast from './ast';
export {
  PyCallable,
  PyDict,
  PyFloat,
  PyHostObject,
  PyNamespace,
  PySet,
  PyTuple,
  typeName,
} from './values';
export type { HostFunction } from './values';
export { DEFAULT_STEP_LIMIT, MAX_INT_BITS, MAX_ITEMS, MAX_STR_LENGTH } from './runtime';
export { MAX_NESTING } from './parser';

export interface EvaluateOptions {
  /** The evaluation budget (default DEFAULT_STEP_LIMIT); StepLimitExceeded beyond it. */
  stepLimit?: number;
}

export interface CompiledExpression {
  readonly source: string;
  readonly params: readonly string[];
  /** Evaluates with the given parameter values; throws PyError on Python errors. Synchronous. */
  evaluate(args: Record<string, unknown>, options?: EvaluateOptions): unknown;
}

function checkParams(params: readonly string[]): void {
  const seen = new Set<string>();
  for (const p of params) {
    if (!/^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}_]*$/u.test(p) || KEYWORDS.has(p)) {
      throw new PyError('SyntaxError', `invalid parameter name ${JSON.stringify(p)}`);
    }
    if (seen.has(p)) throw new PyError('SyntaxError', `duplicate parameter name '${p}'`);
    seen.add(p);
  }
}

class Expression implements CompiledExpression {
  constructor(
    readonly source: string,
    readonly params: readonly string[],
    private readonly code: Code,
  ) {}

  evaluate(args: Record<string, unknown>, options: EvaluateOptions = {}): unknown {
    const stepLimit = options.stepLimit ?? DEFAULT_STEP_LIMIT;
    if (!(stepLimit > 0)) throw new RangeError('stepLimit must be a positive number');
    const vars = this.params.map((p) => {
      if (!Object.prototype.hasOwnProperty.call(args, p)) {
        throw new PyError('TypeError', `missing value for parameter '${p}'`);
      }
      return args[p];
    });
    for (const key of Object.keys(args)) {
      if (!this.params.includes(key)) {
        throw new PyError(
          'TypeError',
          `unexpected argument '${key}' (parameters: ${this.params.join(', ') || 'none'})`,
        );
      }
    }
    const env: Env = { vars, parent: null, rt: new Runtime(stepLimit) };
    try {
      const result = this.code(env);
      return result === undefined ? null : result;
    } catch (e) {
      if (e instanceof RangeError && /call stack/i.test(e.message)) {
        throw new PyError('RecursionError', 'maximum recursion depth exceeded');
      }
      throw e;
    }
  }
}

/**
 * Parses and checks an expression once. `params` are the free names the caller will
 * bind at each evaluation (`msg`, `query`, `value`, `message`...).
 *
 * Throws PyError: `SyntaxError` (with the position), `UnsupportedError` naming the
 * construct (lambda, walrus, await, f-strings, dunder attributes, refused builtins...),
 * `NameError` for a name that is neither a parameter, a builtin nor a comprehension
 * variable.
 */
export function compile(source: string, params: readonly string[]): CompiledExpression {
  if (typeof source !== 'string') throw new PyError('TypeError', 'the expression must be a str');
  return compileTree(parseExpression(source), params, source);
}

/** The syntax tree of an expression (SyntaxError / UnsupportedError as for `compile`). */
export function parseExpression(source: string): Expr {
  try {
    return parse(source);
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      throw new PyError('SyntaxError', 'expression nested too deeply');
    }
    throw e;
  }
}

/**
 * Compiles a syntax tree, or a part of one (the engine compiles the conditions of a
 * selection one by one); `source` is only what `CompiledExpression.source` reports.
 */
export function compileTree(
  node: Expr,
  params: readonly string[],
  source: string,
): CompiledExpression {
  checkParams(params);
  let code: Code;
  try {
    code = new Compiler(params).compile(node);
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      throw new PyError('SyntaxError', 'expression nested too deeply');
    }
    throw e;
  }
  return new Expression(source, [...params], code);
}

/** Python truthiness of a value. */
export function truthy(value: unknown): boolean {
  return pyTruthy(value);
}

/** Python `==` between two values of the value model. */
export function pyEquals(a: unknown, b: unknown): boolean {
  return equals(a, b);
}

/** Python repr() of a value. */
export function pyRepr(value: unknown): string {
  return repr(value);
}

/** Python str() of a value. */
export function pyStr(value: unknown): string {
  return str(value);
}

/**
 * A result as plain JavaScript: floats as numbers, tuples, sets, dict views, ranges and
 * iterators as arrays, dicts as prototype-less objects keyed by str() of their keys.
 * Ints beyond 2^53 stay bigints.
 */
export function toJs(value: unknown): unknown {
  return convert(value);
}
