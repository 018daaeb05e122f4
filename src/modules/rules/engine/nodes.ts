/**
 * The compiled parts of a rule: trigger trees, datanommer criteria trees (1.x), the 2.x
 * `previous` counter, conditions. Compiling checks everything that can be checked before a
 * message arrives (fields, Python syntax and names) and records problems with their path.
 */
import type { RuleFileError } from './errors';
import { FILTER_KEYS, UNSUPPORTED_FILTER_KEYS } from './filters';
import { PyError, compile, truthy, type CompiledExpression } from './python';
import { needsFormatting, withDummyValues } from './substitutions';
import { Selection } from './selection';

export type Problem = Omit<RuleFileError, 'file'>;

export const OPERATORS = ['all', 'any', 'not'] as const;
export type Operator = (typeof OPERATORS)[number];

export type TriggerNode =
  | { kind: 'topic'; value: unknown }
  | { kind: 'category'; value: unknown }
  | { kind: 'lambda'; expr: CompiledExpression }
  | { kind: Operator; children: TriggerNode[] };

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (isRecord(v)) return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

/** Compiles a Python expression, recording a load error (with the path) when it fails. */
export function compileExpression(
  source: unknown,
  params: readonly string[],
  path: string,
  problems: Problem[],
): CompiledExpression | null {
  if (typeof source !== 'string') {
    problems.push({
      field: path,
      reason: `expected a Python expression, got ${describe(source)}`,
      kind: 'invalid',
    });
    return null;
  }
  try {
    return compile(source, params);
  } catch (e) {
    problems.push({ field: path, reason: expressionProblem(e), kind: kindOf(e) });
    return null;
  }
}

function expressionProblem(e: unknown): string {
  return e instanceof PyError
    ? `${e.pyType}: ${e.pyMessage}${e.position ? ` (line ${e.position.line}, column ${e.position.column})` : ''}`
    : String(e);
}

function kindOf(e: unknown): 'invalid' | 'unsupported' {
  return e instanceof PyError && e.pyType === 'UnsupportedError' ? 'unsupported' : 'invalid';
}

/**
 * An expression that fedbadges %-formats with the message before compiling it (1.x
 * operation lambdas and lambdas inside filters). Checked at load with placeholders
 * replaced by a dummy value; compiled per distinct formatted text at run time (cached).
 */
export class ExpressionTemplate {
  private readonly fixed: CompiledExpression | null;

  private constructor(
    readonly source: string,
    readonly params: readonly string[],
    fixed: CompiledExpression | null,
  ) {
    this.fixed = fixed;
  }

  static compile(
    source: unknown,
    params: readonly string[],
    path: string,
    problems: Problem[],
  ): ExpressionTemplate | null {
    if (typeof source === 'string' && source.includes('%')) {
      const checked = compileExpression(withDummyValues(source), params, path, problems);
      return checked ? new ExpressionTemplate(source, params, null) : null;
    }
    const fixed = compileExpression(source, params, path, problems);
    return fixed ? new ExpressionTemplate(fixed.source, params, fixed) : null;
  }

  get formatted(): boolean {
    return this.fixed === null;
  }

  /**
   * For an operation lambda (parameter `query`): the selection it is, when it only counts
   * the rows a condition accepts (see selection.ts); null otherwise. Computed once.
   */
  get selection(): Selection | null {
    if (this.selectionValue === undefined) {
      this.selectionValue =
        this.params.length === 1 && this.params[0] === 'query' ? Selection.of(this.source) : null;
    }
    return this.selectionValue;
  }
  private selectionValue: Selection | null | undefined;

  /** The compiled expression for this text (formatted by the caller when `formatted`). */
  compiled(text: string): CompiledExpression {
    if (this.fixed) return this.fixed;
    return compileCached(text, this.params);
  }
}

const compiledCache = new Map<string, CompiledExpression>();
const COMPILED_CACHE_SIZE = 2_000;

function compileCached(source: string, params: readonly string[]): CompiledExpression {
  const key = `${params.join(',')}\u0000${source}`;
  let c = compiledCache.get(key);
  if (!c) {
    c = compile(source, params);
    if (compiledCache.size >= COMPILED_CACHE_SIZE) compiledCache.clear();
    compiledCache.set(key, c);
  }
  return c;
}

/** The one key of a node mapping, or a problem. */
function singleKey(raw: unknown, path: string, what: string, problems: Problem[]): string | null {
  if (!isRecord(raw)) {
    problems.push({
      field: path,
      reason: `a ${what} node must be a mapping with one key, got ${describe(raw)}`,
      kind: 'invalid',
    });
    return null;
  }
  const keys = Object.keys(raw);
  if (keys.length !== 1) {
    problems.push({
      field: path,
      reason:
        keys.length === 0
          ? `empty ${what} node`
          : `a ${what} node has exactly one key; use all/any/not to combine (${keys.join(', ')})`,
      kind: 'invalid',
    });
    return null;
  }
  return keys[0];
}

/** Children of an operator: a list of nodes; `not` also takes one node (as fedbadges). */
function operatorChildren(
  op: Operator,
  value: unknown,
  path: string,
  problems: Problem[],
): [unknown, string][] | null {
  if (op === 'not' && isRecord(value)) return [[value, path]];
  if (!Array.isArray(value)) {
    problems.push({
      field: path,
      reason: `'${op}' takes a list of nodes, got ${describe(value)}`,
      kind: 'invalid',
    });
    return null;
  }
  if (value.length === 0) {
    problems.push({ field: path, reason: `'${op}' has no nodes`, kind: 'invalid' });
    return null;
  }
  return value.map((child, i) => [child, `${path}[${i}]`]);
}

/** Compiles a trigger tree; lambdas take `param` (`msg` in 1.x, `message` in 2.x). */
export function compileTrigger(
  raw: unknown,
  path: string,
  param: string,
  problems: Problem[],
): TriggerNode | null {
  const key = singleKey(raw, path, 'trigger', problems);
  if (key === null) return null;
  const value = (raw as Record<string, unknown>)[key];
  const here = `${path}.${key}`;
  switch (key) {
    case 'topic':
    case 'category':
      if (typeof value !== 'string' || value === '') {
        problems.push({
          field: here,
          reason: `expected a non-empty string, got ${describe(value)}`,
          kind: 'invalid',
        });
        return null;
      }
      return { kind: key, value };
    case 'lambda': {
      const expr = compileExpression(value, [param], here, problems);
      return expr ? { kind: 'lambda', expr } : null;
    }
    case 'all':
    case 'any':
    case 'not': {
      const children = operatorChildren(key, value, here, problems);
      if (!children) return null;
      const compiled = children.map(([c, p]) => compileTrigger(c, p, param, problems));
      return compiled.every((c) => c !== null)
        ? { kind: key, children: compiled as TriggerNode[] }
        : null;
    }
    default:
      problems.push({
        field: here,
        reason: `unknown trigger '${key}' (use topic, category, lambda, all, any or not)`,
        kind: 'invalid',
      });
      return null;
  }
}

/** A condition over a number (the count or the operation's result). */
export interface Condition {
  readonly name: string;
  readonly threshold: unknown;
  /** Python semantics; throws PyError (TypeError...) like the Python comparison would. */
  test(value: unknown): boolean;
}

const COMPARISONS: Record<string, string> = {
  'is greater than or equal to': 'value >= threshold',
  'greater than or equal to': 'value >= threshold',
  'greater than': 'value > threshold',
  'is less than or equal to': 'value <= threshold',
  'less than or equal to': 'value <= threshold',
  'less than': 'value < threshold',
  'equal to': 'value == threshold',
  'is equal to': 'value == threshold',
  'is not': 'value != threshold',
  'is not equal to': 'value != threshold',
};
const comparators = new Map(
  Object.entries(COMPARISONS).map(([name, source]) => [
    name,
    compile(source, ['value', 'threshold']),
  ]),
);

export function compileCondition(
  raw: unknown,
  path: string,
  problems: Problem[],
): Condition | null {
  const key = singleKey(raw, path, 'condition', problems);
  if (key === null) return null;
  const threshold = (raw as Record<string, unknown>)[key];
  const here = `${path}.${key}`;
  if (key === 'lambda') {
    const expr = compileExpression(threshold, ['value'], here, problems);
    if (!expr) return null;
    return { name: key, threshold, test: (value) => truthyResult(expr.evaluate({ value })) };
  }
  const comparator = comparators.get(key);
  if (!comparator) {
    problems.push({
      field: here,
      reason: `unknown condition '${key}' (use one of: ${[...comparators.keys(), 'lambda'].join(', ')})`,
      kind: 'invalid',
    });
    return null;
  }
  return {
    name: key,
    threshold,
    test: (value) => truthyResult(comparator.evaluate({ value, threshold })),
  };
}

function truthyResult(v: unknown): boolean {
  return truthy(v);
}

/** A datanommer criterion of the 1.x format. */
export interface DatanommerNode {
  kind: 'datanommer';
  path: string;
  /** The filter as written (formatted per message when `filterFormatted`). */
  filter: Record<string, unknown>;
  filterFormatted: boolean;
  /** Lambdas inside the filter (`{lambda: ...}` values), by their JSON path in the filter. */
  filterLambdas: Map<string, ExpressionTemplate>;
  operation: 'count' | ExpressionTemplate;
  condition: Condition;
}

export type CriteriaNode = DatanommerNode | { kind: Operator; children: CriteriaNode[] };

const BACKENDS_WE_LACK = new Set(['pkgdb', 'fas', 'fasjson', 'pagure', 'github']);

function checkFilterKeys(
  filter: Record<string, unknown>,
  path: string,
  problems: Problem[],
  extra: readonly string[] = [],
): boolean {
  let ok = true;
  for (const key of Object.keys(filter)) {
    if (FILTER_KEYS[key] || extra.includes(key)) continue;
    ok = false;
    problems.push(
      UNSUPPORTED_FILTER_KEYS.has(key)
        ? {
            field: `${path}.${key}`,
            reason: `the datanommer filter '${key}' is not supported by the history`,
            kind: 'unsupported',
          }
        : {
            field: `${path}.${key}`,
            reason: `unknown datanommer filter '${key}' (use ${Object.keys(FILTER_KEYS).join(', ')})`,
            kind: 'invalid',
          },
    );
  }
  return ok;
}

/** Finds `{lambda: expr}` values in a 1.x filter (fedbadges replaces them by their value over `msg`). */
function collectFilterLambdas(
  value: unknown,
  jsonPath: string,
  fieldPath: string,
  out: Map<string, ExpressionTemplate>,
  problems: Problem[],
): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) =>
      collectFilterLambdas(v, `${jsonPath}/${i}`, `${fieldPath}[${i}]`, out, problems),
    );
  } else if (isRecord(value)) {
    if ('lambda' in value) {
      const t = ExpressionTemplate.compile(value.lambda, ['msg'], `${fieldPath}.lambda`, problems);
      if (t) out.set(jsonPath, t);
      return;
    }
    for (const [k, v] of Object.entries(value))
      collectFilterLambdas(v, `${jsonPath}/${k}`, `${fieldPath}.${k}`, out, problems);
  }
}

function compileDatanommer(raw: unknown, path: string, problems: Problem[]): DatanommerNode | null {
  if (!isRecord(raw)) {
    problems.push({
      field: path,
      reason: `expected a mapping with filter, operation and condition, got ${describe(raw)}`,
      kind: 'invalid',
    });
    return null;
  }
  const before = problems.length;
  const fields = ['filter', 'operation', 'condition'];
  const unknown = Object.keys(raw).filter((k) => !fields.includes(k));
  const missing = fields.filter((k) => !(k in raw));
  for (const k of unknown)
    problems.push({
      field: `${path}.${k}`,
      reason: `unknown field '${k}' (a datanommer criterion has filter, operation, condition)`,
      kind: 'invalid',
    });
  for (const k of missing)
    problems.push({
      field: `${path}.${k}`,
      reason: `missing required field '${k}'`,
      kind: 'invalid',
    });
  if (problems.length > before) return null;

  const filter = raw.filter ?? {};
  if (!isRecord(filter)) {
    problems.push({
      field: `${path}.filter`,
      reason: `expected a mapping of datanommer grep arguments, got ${describe(filter)}`,
      kind: 'invalid',
    });
    return null;
  }
  checkFilterKeys(filter, `${path}.filter`, problems);
  const filterLambdas = new Map<string, ExpressionTemplate>();
  collectFilterLambdas(filter, '', `${path}.filter`, filterLambdas, problems);

  let operation: DatanommerNode['operation'] | null = null;
  if (raw.operation === 'count') operation = 'count';
  else if (
    isRecord(raw.operation) &&
    Object.keys(raw.operation).length === 1 &&
    'lambda' in raw.operation
  ) {
    operation = ExpressionTemplate.compile(
      raw.operation.lambda,
      ['query'],
      `${path}.operation.lambda`,
      problems,
    );
  } else {
    problems.push({
      field: `${path}.operation`,
      reason: `the operation is 'count' or {lambda: <expression over query>}, got ${describe(raw.operation)}`,
      kind: 'invalid',
    });
  }
  const condition = compileCondition(raw.condition, `${path}.condition`, problems);
  if (problems.length > before || !operation || !condition) return null;
  return {
    kind: 'datanommer',
    path,
    filter,
    filterFormatted: needsFormatting(filter),
    filterLambdas,
    operation,
    condition,
  };
}

/** Compiles a 1.x criteria tree. */
export function compileCriteria(
  raw: unknown,
  path: string,
  problems: Problem[],
): CriteriaNode | null {
  const key = singleKey(raw, path, 'criteria', problems);
  if (key === null) return null;
  const value = (raw as Record<string, unknown>)[key];
  const here = `${path}.${key}`;
  if (key === 'datanommer') return compileDatanommer(value, here, problems);
  if (key === 'all' || key === 'any' || key === 'not') {
    const children = operatorChildren(key, value, here, problems);
    if (!children) return null;
    const compiled = children.map(([c, p]) => compileCriteria(c, p, problems));
    return compiled.every((c) => c !== null)
      ? { kind: key, children: compiled as CriteriaNode[] }
      : null;
  }
  if (BACKENDS_WE_LACK.has(key)) {
    problems.push({
      field: here,
      reason: `the '${key}' criteria backend is not available in this service (only datanommer history)`,
      kind: 'unsupported',
    });
    return null;
  }
  problems.push({
    field: here,
    reason: `unknown criteria '${key}' (use datanommer, all, any or not)`,
    kind: 'invalid',
  });
  return null;
}

/** The 2.x `previous` counter: filter values are expressions over (message, recipient). */
export interface PreviousCounter {
  getters: [grepKey: string, getter: CompiledExpression | CompiledExpression[]][];
  operation: 'count' | CompiledExpression;
}

export function compilePrevious(
  raw: unknown,
  path: string,
  problems: Problem[],
): PreviousCounter | null {
  if (!isRecord(raw)) {
    problems.push({
      field: path,
      reason: `expected a mapping with filter and operation, got ${describe(raw)}`,
      kind: 'invalid',
    });
    return null;
  }
  const before = problems.length;
  for (const k of Object.keys(raw)) {
    if (k !== 'filter' && k !== 'operation')
      problems.push({
        field: `${path}.${k}`,
        reason: `unknown field '${k}' (previous has filter and operation)`,
        kind: 'invalid',
      });
  }
  for (const k of ['filter', 'operation']) {
    if (!(k in raw))
      problems.push({
        field: `${path}.${k}`,
        reason: `missing required field '${k}'`,
        kind: 'invalid',
      });
  }
  if (problems.length > before) return null;
  const filter = raw.filter;
  if (!isRecord(filter)) {
    problems.push({
      field: `${path}.filter`,
      reason: `expected a mapping of datanommer arguments, got ${describe(filter)}`,
      kind: 'invalid',
    });
    return null;
  }
  checkFilterKeys(filter, `${path}.filter`, problems);
  const params = ['message', 'recipient'];
  const getters: PreviousCounter['getters'] = [];
  for (const [key, value] of Object.entries(filter)) {
    const here = `${path}.filter.${key}`;
    if (Array.isArray(value)) {
      const exprs = value.map((v, i) => compileExpression(v, params, `${here}[${i}]`, problems));
      if (exprs.every((e) => e !== null)) getters.push([key, exprs as CompiledExpression[]]);
    } else {
      const expr = compileExpression(value, params, here, problems);
      if (expr) getters.push([key, expr]);
    }
  }
  let operation: PreviousCounter['operation'] | null = null;
  if (raw.operation === 'count') operation = 'count';
  else if (
    isRecord(raw.operation) &&
    Object.keys(raw.operation).length === 1 &&
    'lambda' in raw.operation
  ) {
    operation = compileExpression(
      raw.operation.lambda,
      ['message', 'results'],
      `${path}.operation.lambda`,
      problems,
    );
  } else {
    problems.push({
      field: `${path}.operation`,
      reason: `the operation is 'count' or {lambda: <expression over message and results>}, got ${describe(raw.operation)}`,
      kind: 'invalid',
    });
  }
  if (problems.length > before || !operation) return null;
  return { getters, operation };
}
