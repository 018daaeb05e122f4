/**
 * Which rules may a message trigger? Rules are indexed by what their trigger requires of the
 * topic (a suffix, a category), so a message only looks at the few rules that can match.
 */
import type { TriggerNode } from './nodes';
import type { BusMessage } from './ports';
import { CompiledRule, type Rule } from './rule';

/** What a trigger requires of the topic: one of these suffixes or categories; null = anything. */
interface TopicNeed {
  suffixes: string[];
  categories: string[];
}

function needOf(node: TriggerNode): TopicNeed | null {
  switch (node.kind) {
    case 'topic':
      return { suffixes: [node.value as string], categories: [] };
    case 'category':
      return { suffixes: [], categories: [node.value as string] };
    case 'lambda':
    case 'not':
      return null;
    case 'all': {
      // Every child must match: any constrained child is a sound requirement; take the
      // narrowest (fewest alternatives).
      const needs = node.children.map(needOf).filter((n): n is TopicNeed => n !== null);
      if (needs.length === 0) return null;
      return needs.reduce((a, b) =>
        a.suffixes.length + a.categories.length <= b.suffixes.length + b.categories.length ? a : b,
      );
    }
    case 'any': {
      const needs = node.children.map(needOf);
      if (needs.some((n) => n === null)) return null;
      return {
        suffixes: needs.flatMap((n) => n!.suffixes),
        categories: needs.flatMap((n) => n!.categories),
      };
    }
  }
}

export interface RuleIndex {
  /** The rules this message may trigger (in collection order); check `triggeredBy` next. */
  candidates(message: BusMessage): Rule[];
}

const lastPart = (s: string) => s.slice(s.lastIndexOf('.') + 1);

/**
 * Indexes rules by topic suffix (on the suffix's last dot-separated part, which must equal
 * the topic's last part when the suffix contains a dot) and by category.
 */
export function indexRules(rules: readonly Rule[]): RuleIndex {
  const byLastPart = new Map<string, number[]>();
  const byCategory = new Map<string, number[]>();
  const partialSuffix: [number, string][] = [];
  const always: number[] = [];
  const add = (map: Map<string, number[]>, key: string, i: number) => {
    const list = map.get(key);
    if (list) list.push(i);
    else map.set(key, [i]);
  };
  rules.forEach((rule, i) => {
    const need = rule instanceof CompiledRule ? needOf(rule.trigger) : null;
    if (!need) {
      always.push(i);
      return;
    }
    for (const suffix of need.suffixes) {
      // 'update.comment' ends a topic only if the topic's last part is 'comment'; a suffix
      // without a dot ('omment') may end any last part: it is checked with endsWith.
      if (suffix.includes('.')) add(byLastPart, lastPart(suffix), i);
      else partialSuffix.push([i, suffix]);
    }
    for (const category of need.categories) add(byCategory, category, i);
  });
  return {
    candidates(message: BusMessage): Rule[] {
      const topic = message.topic;
      const picked = new Set<number>(always);
      for (const i of byLastPart.get(lastPart(topic)) ?? []) picked.add(i);
      const category = topic.split('.')[3];
      if (category !== undefined) for (const i of byCategory.get(category) ?? []) picked.add(i);
      for (const [i, suffix] of partialSuffix) if (topic.endsWith(suffix)) picked.add(i);
      return [...picked].sort((a, b) => a - b).map((i) => rules[i]);
    },
  };
}
