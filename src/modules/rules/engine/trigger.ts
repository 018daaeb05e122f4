/** Trigger evaluation, with fedbadges' graceful wrapper: a node that raises is false. */
import type { TriggerNode } from './nodes';
import type { PreparedMessage } from './prepared';
import { truthy } from './python';

/**
 * Does the trigger tree match? Each node is evaluated as fedbadges did, errors included: a
 * lambda raising KeyError, AttributeError, TypeError... makes that node false (so `not` of
 * it is true), and `category` of a topic with fewer than four parts is false.
 */
export function matchesTrigger(
  node: TriggerNode,
  p: PreparedMessage,
  format: 'fedbadges-1' | 'fedbadges-2',
  trace?: string[],
): boolean {
  switch (node.kind) {
    case 'topic':
      return p.message.topic.endsWith(node.value as string);
    case 'category': {
      const parts = p.message.topic.split('.');
      return parts.length > 3 && parts[3] === node.value;
    }
    case 'lambda':
      try {
        const arg = format === 'fedbadges-1' ? { msg: p.envelope } : { message: p.pyMessage };
        return truthy(node.expr.evaluate(arg));
      } catch (e) {
        trace?.push(
          `trigger lambda ${JSON.stringify(node.expr.source)} raised ${errorText(e)}: false`,
        );
        return false;
      }
    case 'all':
      return node.children.every((c) => matchesTrigger(c, p, format, trace));
    case 'any':
      return node.children.some((c) => matchesTrigger(c, p, format, trace));
    case 'not':
      return node.children.every((c) => !matchesTrigger(c, p, format, trace));
  }
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
