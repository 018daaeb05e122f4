/**
 * Selections: operation lambdas that only count the history rows a condition accepts,
 * `len([m for m in query.all() if COND])` (also `len(query.all())` and `query.count()`),
 * where COND is an `and` of tests of the row, some of them `PATH == "%(...)s"` against a
 * value of the message being processed. The runtime can keep such counts incrementally, as
 * it keeps `count` criteria, so these rules stop reading every matching row per message.
 *
 * Exactness: what `len([...])` gives in Python is the number of rows for which COND is
 * true, unless COND raises on some row, in which case the whole operation raises. Each
 * row is therefore summarized by its bucket: walking the terms in order, a test that is
 * false ends it (the row counts for no value), a term that raises ends it with an error,
 * and a `PATH == value` term records the row's PATH (a row whose PATH is not a str never
 * equals a str value). For given values v1..vk, the rows that count are those in the true
 * bucket (v1..vk), and the operation raises if an error bucket for any prefix v1..vm
 * holds a row. Terms are evaluated by the same interpreter as the lambda itself.
 */
import type { HistoryRow, SelectionCount, SelectionRef } from './ports';
import { rowObject } from './prepared';
import {
  type Ast,
  type CompiledExpression,
  compileTree,
  parseExpression,
  PyError,
  truthy,
} from './python';

/** Steps one term may take on one row (a term is a few subscripts and a comparison). */
const ROW_STEP_LIMIT = 20_000;

const FORMAT_DIRECTIVE = /%/;

type Term =
  { kind: 'test'; code: CompiledExpression } | { kind: 'match'; code: CompiledExpression };

/** Where a row falls: null when it counts for no value at all. */
export interface SelectionBucket {
  outcome: 'true' | 'error';
  /** The row's values of the match terms it reached, in order. */
  prefix: string[];
}

const bindCache = new Map<string, string[] | null>();
const BIND_CACHE_SIZE = 5_000;

export class Selection implements SelectionRef {
  private constructor(
    /** The lambda as written (with its placeholders): the selection's identity. */
    readonly key: string,
    private readonly template: Ast.Expr,
    private readonly variables: ReadonlyMap<Ast.Expr, number>,
    private readonly terms: readonly Term[],
    private readonly rowName: string,
  ) {}

  /** The number of `PATH == "%(...)s"` terms (the values a count is asked for). */
  get arity(): number {
    return this.variables.size;
  }

  /**
   * The selection an operation lambda (parameter `query`) is, or null when it is anything
   * else (then the runtime hands it the rows, as before).
   */
  static of(source: string): Selection | null {
    let tree: Ast.Expr;
    try {
      tree = parseExpression(source);
    } catch {
      return null;
    }
    const shape = selectionShape(tree);
    if (!shape) return null;
    const variables = new Map<Ast.Expr, number>();
    const terms: Term[] = [];
    for (const part of shape.conditions.flatMap(andParts)) {
      const term = compileTerm(part, shape.rowName, variables);
      if (!term) return null;
      terms.push(term);
    }
    // Any other `%` would be changed by formatting: the lambda is not what it reads.
    if (hasOtherPercent(tree, variables)) return null;
    return new Selection(source, tree, variables, terms, shape.rowName);
  }

  /**
   * The values the formatted lambda compares with, or null when formatting changed more
   * than those string literals (a value with a quote, say): then the caller falls back.
   */
  bind(formatted: string): string[] | null {
    if (this.variables.size === 0) return formatted === this.key ? [] : null;
    const cacheKey = `${this.key}\u0000${formatted}`;
    if (bindCache.has(cacheKey)) return bindCache.get(cacheKey)!;
    let values: string[] | null = null;
    try {
      const found: string[] = [];
      if (sameShape(this.template, parseExpression(formatted), this.variables, found)) {
        values = found;
      }
    } catch {
      values = null;
    }
    if (bindCache.size >= BIND_CACHE_SIZE) bindCache.clear();
    bindCache.set(cacheKey, values);
    return values;
  }

  /** The bucket of one history row (as `query.all()` hands it: `row.msg` is the body). */
  bucketOf(row: unknown): SelectionBucket | null {
    const prefix: string[] = [];
    for (const term of this.terms) {
      let value: unknown;
      try {
        value = term.code.evaluate({ [this.rowName]: row }, { stepLimit: ROW_STEP_LIMIT });
      } catch (e) {
        if (e instanceof PyError) return { outcome: 'error', prefix };
        throw e;
      }
      if (term.kind === 'test') {
        if (!truthy(value)) return null;
      } else {
        if (typeof value !== 'string') return null;
        prefix.push(value);
      }
    }
    return { outcome: 'true', prefix };
  }

  /** The bucket of a stored message or history row. */
  bucketOfRow(row: HistoryRow): SelectionBucket | null {
    return this.bucketOf(rowObject(row));
  }

  /** What COND does on one row for these values (the scanning answer, for tests and dry runs). */
  outcomeFor(row: unknown, values: readonly string[]): 'true' | 'false' | 'error' {
    const b = this.bucketOf(row);
    if (!b) return 'false';
    const matches = b.prefix.every((v, i) => v === values[i]);
    if (!matches) return 'false';
    return b.outcome === 'error' ? 'error' : b.prefix.length === values.length ? 'true' : 'false';
  }
}

/** The storage key of a bucket. */
export function bucketKey(bucket: SelectionBucket): string {
  return JSON.stringify([bucket.outcome, ...bucket.prefix]);
}

/** The storage key counting every row of the filter (paging needs the total). */
export const ALL_ROWS_BUCKET = '["all"]';

/** The bucket keys a count for these values reads: the true bucket, then the error ones. */
export function bucketKeysFor(values: readonly string[]): { count: string; errors: string[] } {
  return {
    count: bucketKey({ outcome: 'true', prefix: [...values] }),
    errors: values
      .map((_, m) => bucketKey({ outcome: 'error', prefix: values.slice(0, m) }))
      .concat(bucketKey({ outcome: 'error', prefix: [...values] })),
  };
}

/** The scanning answer: what `len([...])` over these rows is, and on how many it raises. */
export function countByScan(
  selection: Selection,
  rows: readonly unknown[],
  values: readonly string[],
): SelectionCount {
  let count = 0;
  let errors = 0;
  for (const row of rows) {
    const o = selection.outcomeFor(row, values);
    if (o === 'true') count++;
    else if (o === 'error') errors++;
  }
  return { count, errors };
}

function isQueryCall(node: Ast.Expr, method: string): boolean {
  return (
    node.type === 'Call' &&
    node.args.length === 0 &&
    node.keywords.length === 0 &&
    node.func.type === 'Attribute' &&
    node.func.attr === method &&
    node.func.value.type === 'Name' &&
    node.func.value.id === 'query'
  );
}

/** `query.count()`, `len(query.all())`, `len([m for m in query.all() if ...])`. */
function selectionShape(tree: Ast.Expr): { rowName: string; conditions: Ast.Expr[] } | null {
  if (isQueryCall(tree, 'count')) return { rowName: 'row', conditions: [] };
  if (
    tree.type !== 'Call' ||
    tree.func.type !== 'Name' ||
    tree.func.id !== 'len' ||
    tree.args.length !== 1 ||
    tree.keywords.length !== 0
  ) {
    return null;
  }
  const arg = tree.args[0];
  if (isQueryCall(arg, 'all')) return { rowName: 'row', conditions: [] };
  if (arg.type !== 'ListComp' || arg.generators.length !== 1) return null;
  const [gen] = arg.generators;
  if (gen.target.type !== 'Name' || !isQueryCall(gen.iter, 'all')) return null;
  const rowName = gen.target.id;
  // The element is evaluated for every accepted row: only a bare name cannot raise.
  if (arg.elt.type !== 'Name' || arg.elt.id !== rowName) return null;
  if (rowName === 'query' || rowName === 'len') return null;
  return { rowName, conditions: gen.ifs };
}

/** The operands of an `and` (nested ones too): Python tests them in order, by truthiness. */
function andParts(node: Ast.Expr): Ast.Expr[] {
  return node.type === 'BoolOp' && node.op === 'and' ? node.values.flatMap(andParts) : [node];
}

function compileTerm(
  node: Ast.Expr,
  rowName: string,
  variables: Map<Ast.Expr, number>,
): Term | null {
  const compileOver = (n: Ast.Expr): CompiledExpression | null => {
    try {
      // Only the row name is bound: a term naming `query` (or anything else) is refused here.
      return compileTree(n, [rowName], 'selection term');
    } catch {
      return null;
    }
  };
  if (!placeholders(node).length) {
    const code = compileOver(node);
    return code && { kind: 'test', code };
  }
  if (node.type !== 'Compare' || node.ops.length !== 1 || node.ops[0] !== '==') return null;
  const [a, b] = [node.left, node.comparators[0]];
  const [literal, path] = isVariable(a) ? [a, b] : isVariable(b) ? [b, a] : [null, null];
  if (!literal || !path || placeholders(path).length) return null;
  const code = compileOver(path);
  if (!code) return null;
  variables.set(literal, variables.size);
  return { kind: 'match', code };
}

function isVariable(node: Ast.Expr): boolean {
  return node.type === 'Constant' && typeof node.value === 'string' && node.value.includes('%');
}

/** String constants of a subtree that formatting would change. */
function placeholders(node: unknown): Ast.Expr[] {
  const found: Ast.Expr[] = [];
  walk(node, (n) => {
    if (isVariable(n)) found.push(n);
  });
  return found;
}

function hasOtherPercent(tree: Ast.Expr, variables: ReadonlyMap<Ast.Expr, number>): boolean {
  let other = false;
  walk(tree, (n) => {
    if (n.type === 'Constant' && typeof n.value === 'string' && FORMAT_DIRECTIVE.test(n.value)) {
      if (!variables.has(n)) other = true;
    }
  });
  return other;
}

function walk(node: unknown, visit: (n: Ast.Expr) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const n = node as Record<string, unknown>;
  if (typeof n.type === 'string') visit(node as Ast.Expr);
  for (const [k, v] of Object.entries(n)) if (k !== 'pos') walk(v, visit);
}

/**
 * True when `b` (the formatted lambda) is `a` (the template) but for the variable string
 * literals, which must still be str literals; their values are pushed in term order.
 */
function sameShape(
  a: unknown,
  b: unknown,
  variables: ReadonlyMap<Ast.Expr, number>,
  found: string[],
): boolean {
  if (a && typeof a === 'object' && variables.has(a as Ast.Expr)) {
    const node = b as Ast.Expr;
    if (node?.type !== 'Constant' || typeof node.value !== 'string') return false;
    found[variables.get(a as Ast.Expr)!] = node.value;
    return true;
  }
  if (Array.isArray(a)) {
    return (
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((x, i) => sameShape(x, b[i], variables, found))
    );
  }
  if (a === null || typeof a !== 'object') return Object.is(a, b);
  if (b === null || typeof b !== 'object' || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b))
    return false;
  const ka = Object.keys(a).filter((k) => k !== 'pos');
  const kb = Object.keys(b).filter((k) => k !== 'pos');
  if (ka.length !== kb.length) return false;
  return ka.every((k) =>
    sameShape(
      (a as Record<string, unknown>)[k],
      (b as Record<string, unknown>)[k],
      variables,
      found,
    ),
  );
}
