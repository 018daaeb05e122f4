/**
 * Evaluating a rule against a message: trigger, candidates, criteria (1.x) or
 * previous/condition per candidate (2.x). Never throws for the rule's own errors: they
 * become `error` or a false node with a line in `trace`. Errors of the ports go through.
 */
import { MissingKeyError } from './errors';
import { historyFilterOf } from './datanommer-filter';
import { FilterValueError, toHistoryFilter } from './filters';
import { isRecord, type CriteriaNode, type DatanommerNode, type PreviousCounter } from './nodes';
import type { BusMessage, EvaluationContext, HistoryFilter, SelectionCount } from './ports';
import { prepare, rowObject, type PreparedMessage } from './prepared';
import {
  PyCallable,
  PyDict,
  PyError,
  PyHostObject,
  PyNamespace,
  PySet,
  PyTuple,
  toJs,
  type CompiledExpression,
} from './python';
import { PortFailure, callPort, convertIdentities, filterCandidates } from './recipients';
import { CompiledRule, type Rule } from './rule';
import { formatArgs } from './substitutions';
import type { Selection } from './selection';
import { errorText, matchesTrigger } from './trigger';

export interface RuleOutcome {
  badgeId: string;
  triggered: boolean;
  criteriaMet: boolean;
  /** Who gets it now (already filtered). */
  recipients: string[];
  skipped: { user: string; reason: 'banned' | 'private-ip' | 'already-holds' | 'opted-out' }[];
  /** Human reasons, for `rules test` and logs. */
  trace: string[];
  /** e.g. a missing substitution key: the rule awards nothing for this message. */
  error: string | null;
  /**
   * How far the recipient is towards the badge, when the rule tells: a 1.x rule whose
   * criteria are one count (or counted selection) over the recipient's own history,
   * compared with "(is) greater than (or equal to)" a number. Pages show "37 of 40".
   */
  progress: RuleProgress | null;
}

export interface RuleProgress {
  user: string;
  value: number;
  /** The value that earns the badge. */
  target: number;
  /**
   * What was counted (the filter and the operation): rules of a ladder count the same
   * thing towards different targets, and only the nearest one is worth keeping.
   */
  measure: string;
}

/** What a datanommer node counted, for progress. */
interface Measure {
  value?: unknown;
  filter?: HistoryFilter;
  operation?: string;
}

/** Step budget of history lambdas: they cost 4 to 7 steps per row (see python/README.md). */
const historyStepLimit = (rows: number) => 100_000 + 10 * rows;

/**
 * Evaluates one rule for one message. Resolves to the outcome; rejects only when a port
 * (history, identities, awards) fails, with that port's error.
 */
export async function evaluateRule(
  rule: Rule,
  message: BusMessage,
  ctx: EvaluationContext,
): Promise<RuleOutcome> {
  const outcome: RuleOutcome = {
    badgeId: rule.badgeId,
    triggered: false,
    criteriaMet: false,
    recipients: [],
    skipped: [],
    trace: [],
    error: null,
    progress: null,
  };
  if (!(rule instanceof CompiledRule)) {
    outcome.error = 'not a rule built by loadRule';
    return outcome;
  }
  const p = prepare(message);
  try {
    if (!matchesTrigger(rule.trigger, p, rule.format, outcome.trace)) {
      outcome.trace.push(`not triggered by ${message.topic}`);
      return outcome;
    }
    outcome.triggered = true;
    outcome.trace.push(`triggered by ${message.topic} (${message.id})`);
    if (rule.decision.format === 'fedbadges-1') await decideV1(rule, p, ctx, outcome);
    else await decideV2(rule, p, ctx, outcome);
  } catch (e) {
    if (e instanceof PortFailure) throw e.original;
    outcome.criteriaMet = false;
    outcome.recipients = [];
    outcome.error = e instanceof MissingKeyError ? e.message : `unexpected error: ${errorText(e)}`;
    outcome.trace.push(`error: ${outcome.error}; nothing awarded`);
  }
  return outcome;
}

/** Names out of a recipient value: a str or number gives one, a list its items, a dict its keys. */
function namesOf(value: unknown, what: string): string[] {
  if (value === null || value === undefined) return [];
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') {
    return [String(value)];
  }
  let items: unknown[];
  if (Array.isArray(value)) items = value;
  else if (value instanceof PyTuple || value instanceof PySet) items = toJs(value) as unknown[];
  else if (value instanceof PyDict) items = Object.keys(toJs(value) as object);
  else if (isRecord(value) && !(value instanceof PyHostObject)) items = Object.keys(value);
  else throw new TypeError(`${what} gave ${describeValue(value)}, not names`);
  // Pagure's lists of {name: ...} authors (fedbadges' get_pagure_authors).
  if (items.length > 0 && items.every((i) => isRecord(i) && typeof i.name === 'string')) {
    items = items.map((i) => (i as { name: string }).name);
  }
  return items.map((item) => {
    if (typeof item === 'string' || typeof item === 'number') return String(item);
    throw new TypeError(`${what} holds ${describeValue(item)}, not a name`);
  });
}

function describeValue(v: unknown): string {
  try {
    return JSON.stringify(toJs(v)) ?? String(v);
  } catch {
    return String(v);
  }
}

async function candidatesOf(
  rule: CompiledRule,
  names: string[],
  ctx: EvaluationContext,
  outcome: RuleOutcome,
): Promise<string[]> {
  const nonEmpty = names.filter((n) => n !== '');
  const converted = await convertIdentities(nonEmpty, rule.converters, ctx, outcome.trace);
  const { kept, skipped } = await filterCandidates(rule.badgeId, converted, ctx);
  outcome.skipped = skipped;
  for (const s of skipped) outcome.trace.push(`skipped ${s.user}: ${s.reason}`);
  outcome.trace.push(kept.length ? `candidates: ${kept.join(', ')}` : 'no one to award');
  return kept;
}

async function decideV1(
  rule: CompiledRule,
  p: PreparedMessage,
  ctx: EvaluationContext,
  outcome: RuleOutcome,
): Promise<void> {
  const decision = rule.decision as Extract<CompiledRule['decision'], { format: 'fedbadges-1' }>;
  let names: string[];
  if (decision.recipient !== null) {
    const formatted = formatArgs(decision.recipient, p.substitutions);
    names = Array.isArray(decision.recipient)
      ? (formatted as unknown[]).flatMap((v) => namesOf(v, 'recipient'))
      : namesOf(formatted, 'recipient');
  } else {
    names = p.message.users;
  }
  const candidates = await candidatesOf(rule, names, ctx, outcome);
  if (candidates.length === 0) return;
  const measure: Measure = {};
  outcome.criteriaMet = await criteriaMet(decision.criteria, p, ctx, outcome.trace, measure);
  outcome.trace.push(outcome.criteriaMet ? 'criteria met' : 'criteria not met');
  if (outcome.criteriaMet) outcome.recipients = candidates;
  else if (decision.criteria.kind === 'datanommer' && candidates.length === 1)
    outcome.progress = progressOf(decision.criteria, measure, candidates[0]);
}

/** Progress towards a threshold counted over this user's own history (see RuleOutcome). */
function progressOf(node: DatanommerNode, measure: Measure, user: string): RuleProgress | null {
  const { value, filter } = measure;
  const threshold = node.condition.threshold;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) return null;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) return null;
  if (filter?.users?.length !== 1 || filter.users[0] !== user) return null;
  let target: number;
  const name = node.condition.name;
  if (name.endsWith('greater than or equal to')) target = Math.ceil(threshold);
  else if (name === 'greater than') target = Math.floor(threshold) + 1;
  else return null;
  if (target <= 0) return null;
  return {
    user,
    value: Math.min(value, target),
    target,
    measure: JSON.stringify([filter, measure.operation ?? 'count']),
  };
}

/** A 1.x criteria tree; each node is graceful (an error makes it false) as in fedbadges. */
async function criteriaMet(
  node: CriteriaNode,
  p: PreparedMessage,
  ctx: EvaluationContext,
  trace: string[],
  measure?: Measure,
): Promise<boolean> {
  switch (node.kind) {
    case 'all':
      for (const c of node.children) if (!(await criteriaMet(c, p, ctx, trace))) return false;
      return true;
    case 'any':
      for (const c of node.children) if (await criteriaMet(c, p, ctx, trace)) return true;
      return false;
    case 'not':
      for (const c of node.children) if (await criteriaMet(c, p, ctx, trace)) return false;
      return true;
    case 'datanommer':
      try {
        return await datanommerMet(node, p, ctx, trace, measure);
      } catch (e) {
        // A missing key awards nothing (the whole rule); ports fail the evaluation.
        if (e instanceof MissingKeyError || e instanceof PortFailure) throw e;
        trace.push(`${node.path}: ${pyErrorText(e)}: false`);
        return false;
      }
  }
}

function pyErrorText(e: unknown): string {
  if (e instanceof PyError) return `${e.pyType}: ${e.pyMessage}`;
  return errorText(e);
}

async function datanommerMet(
  node: DatanommerNode,
  p: PreparedMessage,
  ctx: EvaluationContext,
  trace: string[],
  measure: Measure = {},
): Promise<boolean> {
  const filter = historyFilterOf(node, p);
  measure.filter = filter;
  let value: unknown;
  if (node.operation === 'count') {
    value = await callPort(() => ctx.history.count(filter));
    trace.push(`${node.path}: count ${describeFilter(filter)} = ${String(value)}`);
  } else {
    const op = node.operation;
    const text = op.formatted ? String(formatArgs(op.source, p.substitutions)) : op.source;
    measure.operation = text;
    const counted = await countedSelection(op.selection, text, filter, ctx);
    if (counted) {
      if (counted.errors > 0) {
        // As in Python: the condition raises on some row, so the whole operation raises.
        trace.push(
          `${node.path}: the operation raises on ${counted.errors} row(s) of ${describeFilter(filter)}: false`,
        );
        return false;
      }
      value = counted.count;
      trace.push(
        `${node.path}: operation (a counted selection) over ${describeFilter(filter)} = ${String(value)}`,
      );
      measure.value = value;
      return conditionMet(node, value, trace);
    }
    const rows = (await callPort(() => ctx.history.rows(filter))).map(rowObject);
    const query = new PyNamespace('Query', {
      all: new PyCallable('all', () => [...rows]),
      count: new PyCallable('count', () => rows.length),
      first: new PyCallable('first', () => rows[0] ?? null),
    });
    value = op.compiled(text).evaluate({ query }, { stepLimit: historyStepLimit(rows.length) });
    trace.push(
      `${node.path}: operation over ${rows.length} rows of ${describeFilter(filter)} = ${describeValue(value)}`,
    );
  }
  measure.value = value;
  return conditionMet(node, value, trace);
}

function conditionMet(node: DatanommerNode, value: unknown, trace: string[]): boolean {
  const met = node.condition.test(value);
  trace.push(
    `${node.path}: ${describeValue(value)} ${node.condition.name} ${describeValue(node.condition.threshold)}: ${met}`,
  );
  return met;
}

/**
 * The history's count for a selection operation, when the formatted lambda binds (only its
 * compared values changed) and the history keeps that count; null: evaluate over rows.
 */
async function countedSelection(
  selection: Selection | null,
  text: string,
  filter: HistoryFilter,
  ctx: EvaluationContext,
): Promise<SelectionCount | null> {
  const history = ctx.history;
  if (!selection || !history.countSelection) return null;
  const values = selection.bind(text);
  if (!values) return null;
  return callPort(() => history.countSelection!(filter, selection, values));
}

function describeFilter(filter: HistoryFilter): string {
  return JSON.stringify(filter);
}

async function decideV2(
  rule: CompiledRule,
  p: PreparedMessage,
  ctx: EvaluationContext,
  outcome: RuleOutcome,
): Promise<void> {
  const decision = rule.decision as Extract<CompiledRule['decision'], { format: 'fedbadges-2' }>;
  let raw: unknown;
  try {
    raw = decision.recipient.evaluate({ message: p.pyMessage });
  } catch (e) {
    // fedbadges 2.x: a KeyError while getting the recipients means no candidates.
    if (e instanceof PyError && e.pyType === 'KeyError') {
      outcome.trace.push(`recipient: KeyError ${e.pyMessage}: no candidates`);
      return;
    }
    throw e;
  }
  const candidates = await candidatesOf(rule, namesOf(raw, 'recipient'), ctx, outcome);
  for (const candidate of candidates) {
    let count = 1;
    if (decision.previous) {
      count = await previousCount(decision.previous, p, candidate, ctx, outcome.trace);
    }
    let met = true;
    if (decision.condition) {
      try {
        met = decision.condition.test(count);
      } catch (e) {
        outcome.trace.push(`condition for ${candidate}: ${pyErrorText(e)}: false`);
        met = false;
      }
      outcome.trace.push(
        `${candidate}: ${count} ${decision.condition.name} ${describeValue(decision.condition.threshold)}: ${met}`,
      );
    }
    if (met) outcome.recipients.push(candidate);
  }
  outcome.criteriaMet = outcome.recipients.length > 0;
  outcome.trace.push(outcome.criteriaMet ? 'condition met' : 'condition not met');
}

/** The 2.x count for one candidate: 0 when the filter or the lambda raises KeyError. */
async function previousCount(
  previous: PreviousCounter,
  p: PreparedMessage,
  recipient: string,
  ctx: EvaluationContext,
  trace: string[],
): Promise<number> {
  const args: Record<string, unknown> = {};
  const bindings = { message: p.pyMessage, recipient };
  try {
    for (const [key, getter] of previous.getters) {
      args[key] = Array.isArray(getter)
        ? getter.map((g: CompiledExpression) => toJs(g.evaluate(bindings)))
        : toJs(getter.evaluate(bindings));
    }
  } catch (e) {
    if (e instanceof PyError && e.pyType === 'KeyError') {
      trace.push(`previous filter for ${recipient}: KeyError ${e.pyMessage}: 0`);
      return 0;
    }
    throw e;
  }
  let filter: HistoryFilter;
  try {
    filter = toHistoryFilter(args);
  } catch (e) {
    if (e instanceof FilterValueError) throw new TypeError(e.message);
    throw e;
  }
  if (previous.operation === 'count') {
    const n = await callPort(() => ctx.history.count(filter));
    trace.push(`previous for ${recipient}: count ${describeFilter(filter)} = ${n}`);
    return n;
  }
  const rows = (await callPort(() => ctx.history.rows(filter))).map(rowObject);
  try {
    const value = previous.operation.evaluate(
      { message: p.pyMessage, results: rows },
      { stepLimit: historyStepLimit(rows.length) },
    );
    trace.push(
      `previous for ${recipient}: lambda over ${rows.length} rows = ${describeValue(value)}`,
    );
    return toNumber(value);
  } catch (e) {
    if (e instanceof PyError && e.pyType === 'KeyError') {
      trace.push(`previous lambda for ${recipient}: KeyError ${e.pyMessage}: 0`);
      return 0;
    }
    throw e;
  }
}

function toNumber(v: unknown): number {
  const js = toJs(v);
  if (typeof js === 'number') return js;
  if (typeof js === 'boolean') return js ? 1 : 0;
  if (typeof js === 'bigint') return Number(js);
  throw new TypeError(`the previous operation gave ${describeValue(v)}, not a number`);
}
