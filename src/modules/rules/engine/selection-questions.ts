import { historyFilterOf } from './datanommer-filter';
import type { CriteriaNode } from './nodes';
import type { BusMessage, HistoryFilter } from './ports';
import { prepare } from './prepared';
import { CompiledRule, type Rule } from './rule';
import type { Selection } from './selection';
import { formatArgs } from './substitutions';
import { matchesTrigger } from './trigger';

/** A selection count that evaluating a rule on a message would ask the history for. */
export interface SelectionQuestion {
  filter: HistoryFilter;
  selection: Selection;
  values: readonly string[];
}

/**
 * The selection counts this rule would ask for on this message, if it triggers: worked
 * out before the evaluation so that a batch can read them in one statement instead of one
 * round trip each. A hint only — a criterion that cannot be worked out here (a missing key,
 * a lambda that raises) is left out, and the evaluation asks for it as it goes.
 */
export function selectionQuestions(rule: Rule, message: BusMessage): SelectionQuestion[] {
  if (!(rule instanceof CompiledRule) || rule.decision.format !== 'fedbadges-1') return [];
  const criteria = rule.decision.criteria;
  if (!hasSelection(criteria)) return [];
  const p = prepare(message);
  try {
    if (!matchesTrigger(rule.trigger, p, rule.format, [])) return [];
  } catch {
    return [];
  }
  const questions: SelectionQuestion[] = [];
  const visit = (node: CriteriaNode): void => {
    if (node.kind !== 'datanommer') return node.children.forEach(visit);
    const op = node.operation;
    if (op === 'count' || !op.selection) return;
    try {
      const text = op.formatted ? String(formatArgs(op.source, p.substitutions)) : op.source;
      const values = op.selection.bind(text);
      if (values)
        questions.push({ filter: historyFilterOf(node, p), selection: op.selection, values });
    } catch {
      // Left to the evaluation, which reports it.
    }
  };
  visit(criteria);
  return questions;
}

function hasSelection(node: CriteriaNode): boolean {
  if (node.kind !== 'datanommer') return node.children.some(hasSelection);
  return node.operation !== 'count' && node.operation.selection !== null;
}
