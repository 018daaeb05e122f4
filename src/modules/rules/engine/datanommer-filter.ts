import { toHistoryFilter } from './filters';
import { isRecord, type DatanommerNode } from './nodes';
import type { HistoryFilter } from './ports';
import type { PreparedMessage } from './prepared';
import { toJs } from './python';
import { formatArgs } from './substitutions';

/** A datanommer criterion's filter for one message: formatted, its lambdas evaluated. */
export function historyFilterOf(node: DatanommerNode, p: PreparedMessage): HistoryFilter {
  let args = node.filterFormatted
    ? (formatArgs(node.filter, p.substitutions) as Record<string, unknown>)
    : node.filter;
  if (node.filterLambdas.size > 0) {
    args = applyFilterLambdas(args, '', node, p) as Record<string, unknown>;
  }
  return toHistoryFilter(args);
}

/** fedbadges' recursive_lambda_factory: `{lambda: expr}` values become their value over `msg`. */
function applyFilterLambdas(
  value: unknown,
  jsonPath: string,
  node: DatanommerNode,
  p: PreparedMessage,
): unknown {
  if (Array.isArray(value)) {
    return value.map((v, i) => applyFilterLambdas(v, `${jsonPath}/${i}`, node, p));
  }
  if (isRecord(value)) {
    const template = node.filterLambdas.get(jsonPath);
    if (template && 'lambda' in value) {
      return toJs(template.compiled(String(value.lambda)).evaluate({ msg: p.envelope }));
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = applyFilterLambdas(v, `${jsonPath}/${k}`, node, p);
    }
    return out;
  }
  return value;
}
