import { createHash } from 'node:crypto';

// A fixed namespace (RFC 4122 name-based ids) for the messages this service originates.
const AWARD_NAMESPACE = 'accolades:badges.badge.award:';

/**
 * The message id of an award's notification, derived from the assertion id: the award
 * goes through the rules in-process under this id, and the same id is published to the
 * bus. When this service's own queue receives that copy back, the history already holds
 * the id and the copy is a duplicate — an award is never counted twice.
 */
export function awardMessageId(assertionId: string): string {
  const h = createHash('sha1')
    .update(AWARD_NAMESPACE + assertionId)
    .digest();
  h[6] = (h[6] & 0x0f) | 0x50; // version 5
  h[8] = (h[8] & 0x3f) | 0x80; // RFC 4122 variant
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
