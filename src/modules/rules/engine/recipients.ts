/** Who would receive a badge: candidates from the message, then fedbadges' exclusions. */
import type { EvaluationContext, IdentityKind } from './ports';

/** fedbadges' banned service accounts (more come from configuration). */
export const DEFAULT_BANNED_USERS: readonly string[] = Object.freeze([
  'bodhi',
  'oscar',
  'apache',
  'koji',
  'taskotron',
]);

// fedbadges dropped names starting with `10.` or `192.168.` (hosts, not people); the
// 172.16/12 block is private too.
const PRIVATE_IP = /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/;

export function looksLikePrivateIp(name: string): boolean {
  return PRIVATE_IP.test(name);
}

export type SkipReason = 'banned' | 'private-ip' | 'already-holds' | 'opted-out';

/** Thrown by a port: not the rule's fault, so evaluateRule lets it through. */
export class PortFailure extends Error {
  constructor(readonly original: unknown) {
    super(original instanceof Error ? original.message : String(original));
    this.name = 'PortFailure';
  }
}

export async function callPort<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw new PortFailure(e);
  }
}

/** Applies the recipient_*2fas converters in order; an unknown identity passes unchanged. */
export async function convertIdentities(
  names: string[],
  converters: readonly IdentityKind[],
  ctx: EvaluationContext,
  trace: string[],
): Promise<string[]> {
  let current = names;
  for (const kind of converters) {
    const next: string[] = [];
    for (const name of current) {
      const fas = await callPort(() => ctx.identities.toFas(kind, name));
      if (fas !== null && fas !== name) trace.push(`${kind}2fas: ${name} -> ${fas}`);
      next.push(fas ?? name);
    }
    current = [...new Set(next)];
  }
  return current;
}

/**
 * Lower-cases the names, then drops banned accounts, private-IP names, holders of the badge
 * and opted-out people.
 */
export async function filterCandidates(
  badgeId: string,
  names: string[],
  ctx: EvaluationContext,
): Promise<{ kept: string[]; skipped: { user: string; reason: SkipReason }[] }> {
  const kept: string[] = [];
  const skipped: { user: string; reason: SkipReason }[] = [];
  // Fedora account names are lower-case: 'Alice' from a raw list, a dict's keys or a 2.x
  // expression is the same person as 'alice' (fedbadges would have made two Tahrir people).
  for (const user of [...new Set(names.map((n) => n.toLowerCase()))].sort()) {
    if (ctx.bannedUsers.has(user)) skipped.push({ user, reason: 'banned' });
    else if (looksLikePrivateIp(user)) skipped.push({ user, reason: 'private-ip' });
    else if (await callPort(() => ctx.awards.holds(badgeId, user))) {
      skipped.push({ user, reason: 'already-holds' });
    } else if (await callPort(() => ctx.awards.optedOut(user))) {
      skipped.push({ user, reason: 'opted-out' });
    } else kept.push(user);
  }
  return { kept, skipped };
}
