/**
 * The contract between the pure rule engine (this folder) and the runtime around it
 * (history store, counters, identities, awards). The engine never touches a database, a
 * clock or the network: it asks these ports, and answers with decisions and reasons.
 */

/** A bus message as the engine sees it, whatever format it arrived in. */
export interface BusMessage {
  /** The message id (fedora-messaging `id` / `message_id`, datagrepper `msg_id`). */
  id: string;
  /** The full topic, e.g. `org.fedoraproject.prod.bodhi.update.comment`. */
  topic: string;
  /** The body (`msg` in datagrepper envelopes, `body` in fedora-messaging JSON). */
  body: unknown;
  headers: Record<string, unknown>;
  sentAt: Date;
  /** Users the message concerns (`fedora_messaging_user_<name>` headers), lower-case, sorted. */
  users: string[];
  /** Packages it concerns (`fedora_messaging_package_<name>` headers), sorted. */
  packages: string[];
  /** The agent (`fedora_messaging_agent` header or body.agent), when known. */
  agent: string | null;
}

/**
 * A datanommer grep filter after substitution: OR within a list, AND between keys.
 * Absent keys do not constrain. `start`/`end` bound `sentAt` (start inclusive).
 */
export interface HistoryFilter {
  topics?: string[];
  notTopics?: string[];
  categories?: string[];
  notCategories?: string[];
  users?: string[];
  notUsers?: string[];
  packages?: string[];
  notPackages?: string[];
  /** Substrings of the JSON body. */
  contains?: string[];
  start?: Date;
  end?: Date;
  rowsPerPage?: number;
  page?: number;
  order?: 'asc' | 'desc';
}

/** A history row handed to `query.all()` in operation lambdas (`row.msg` is the body). */
export interface HistoryRow {
  id: string;
  topic: string;
  msg: unknown;
  headers: Record<string, unknown>;
  timestamp: Date;
  users: string[];
  packages: string[];
}

/**
 * What criteria need of the message history. The history already holds the message being
 * processed (criteria counts include it). Implementations answer `count` from incremental
 * counters where the filter allows it, and from indexed queries otherwise.
 */
export interface HistoryPort {
  count(filter: HistoryFilter): Promise<number>;
  rows(filter: HistoryFilter): Promise<HistoryRow[]>;
  /**
   * How many rows of the filter a selection (an operation lambda that only counts rows, see
   * selection.ts) accepts for these values, and on how many it raises; null when this
   * history cannot tell without the rows (the engine then evaluates the lambda over them).
   */
  countSelection?(
    filter: HistoryFilter,
    selection: SelectionRef,
    values: readonly string[],
  ): Promise<SelectionCount | null>;
}

/** A selection as the history sees it (selection.ts has the rest). */
export interface SelectionRef {
  /** The lambda as written: what a counter is kept for. */
  readonly key: string;
}

/** What the history answers for a selection: rows that count, rows the condition raises on. */
export interface SelectionCount {
  count: number;
  errors: number;
}

/** The identity kinds of the recipient_*2fas converters. */
export type IdentityKind = 'nick' | 'email' | 'openid' | 'github' | 'distgit' | 'krb';

/** Maps other identities to Fedora account names; null when unknown (the name passes unchanged). */
export interface IdentityPort {
  toFas(kind: IdentityKind, value: string): Promise<string | null>;
}

/** What the engine needs to know about people and awards to pick recipients. */
export interface AwardsPort {
  /** True when the user already holds the badge (then the rule does not award again). */
  holds(badgeId: string, user: string): Promise<boolean>;
  /** True when the user has opted out of badges. */
  optedOut(user: string): Promise<boolean>;
}

export interface EvaluationContext {
  history: HistoryPort;
  identities: IdentityPort;
  awards: AwardsPort;
  /** Accounts that never receive badges (fedbadges' banned list plus configuration). */
  bannedUsers: ReadonlySet<string>;
}
