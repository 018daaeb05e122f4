/**
 * A loaded rule: its badge, its compiled trigger and what decides the award (1.x criteria or
 * 2.x previous/condition). Built by `loadRule`; evaluated by `evaluateRule`.
 */
import type { CriteriaNode, Condition, PreviousCounter, TriggerNode } from './nodes';
import type { BusMessage, HistoryFilter, IdentityKind } from './ports';
import { prepare } from './prepared';
import { matchesTrigger } from './trigger';

export interface Rule {
  readonly badgeId: string;
  readonly name: string;
  readonly description: string;
  readonly imageUrl: string;
  readonly discussion: string | null;
  readonly creator: string | null;
  readonly issuerId: string | null;
  readonly file: string;
  readonly format: 'fedbadges-1' | 'fedbadges-2';
  /**
   * Static part of each `count` criterion filter whose only substituted key is `users` with
   * exactly one placeholder and with no start/end/page/rows_per_page: the runtime keeps a
   * counter per (counterKeyOf(filter), user) for these.
   */
  readonly counterFilters: readonly HistoryFilter[];
  /** Cheap synchronous check: may this message trigger the rule? (topic/category/lambda trigger). */
  triggeredBy(message: BusMessage): boolean;
}

export interface RuleMetadata {
  badgeId: string;
  name: string;
  description: string;
  imageUrl: string;
  discussion: string | null;
  creator: string | null;
  issuerId: string | null;
  file: string;
}

export type Decision =
  | { format: 'fedbadges-1'; recipient: unknown; criteria: CriteriaNode }
  | {
      format: 'fedbadges-2';
      recipient: import('./python').CompiledExpression;
      previous: PreviousCounter | null;
      condition: Condition | null;
    };

export class CompiledRule implements Rule {
  readonly badgeId: string;
  readonly name: string;
  readonly description: string;
  readonly imageUrl: string;
  readonly discussion: string | null;
  readonly creator: string | null;
  readonly issuerId: string | null;
  readonly file: string;
  readonly format: 'fedbadges-1' | 'fedbadges-2';

  constructor(
    meta: RuleMetadata,
    readonly trigger: TriggerNode,
    readonly decision: Decision,
    /** The recipient_*2fas converters switched on, in fedbadges' order. */
    readonly converters: readonly IdentityKind[],
    readonly counterFilters: readonly HistoryFilter[],
  ) {
    this.badgeId = meta.badgeId;
    this.name = meta.name;
    this.description = meta.description;
    this.imageUrl = meta.imageUrl;
    this.discussion = meta.discussion;
    this.creator = meta.creator;
    this.issuerId = meta.issuerId;
    this.file = meta.file;
    this.format = decision.format;
  }

  triggeredBy(message: BusMessage): boolean {
    return matchesTrigger(this.trigger, prepare(message), this.format);
  }
}
