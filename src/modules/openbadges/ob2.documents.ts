import type { Assertion } from '../awards/assertion.entity';
import type { RevokedAssertion } from '../awards/revoked-assertion.entity';
import type { Badge } from '../badges/badge.entity';
import type { Issuer } from '../badges/issuer.entity';
import type { OpenBadgesLinks } from './openbadges.links';

/** Open Badges 2.0 JSON-LD documents (hosted verification), built from the stored rows. */
export const OB2_CONTEXT = 'https://w3id.org/openbadges/v2';

export type JsonObject = Record<string, unknown>;

/** An ISO 8601 instant in UTC, to the second ("2024-05-01T10:00:00Z"). */
export function isoSeconds(d: Date): string {
  return new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export const isHttpUrl = (s: string | null | undefined): s is string =>
  !!s && /^https?:\/\/[^\s]+$/i.test(s.trim());

const isEmail = (s: string) => /^[^\s@]+@[^\s@]+$/.test(s.trim());

export function issuerProfile(issuer: Issuer, links: OpenBadgesLinks): JsonObject {
  const doc: JsonObject = {
    '@context': OB2_CONTEXT,
    id: links.issuer(issuer.id),
    type: 'Issuer',
    name: issuer.name,
    url: issuer.origin,
  };
  const contact = issuer.contact.replace(/^mailto:/i, '');
  if (isEmail(contact)) doc.email = contact;
  if (issuer.org && issuer.org !== issuer.name) doc.description = issuer.org;
  if (issuer.image) doc.image = links.art(issuer.image);
  doc.revocationList = links.revocationList(issuer.id);
  return doc;
}

/** Criteria: a link when Tahrir stored a URL (the usual case), else the text as narrative. */
function criteriaOf(criteria: string): string | JsonObject {
  return isHttpUrl(criteria) ? criteria.trim() : { narrative: criteria };
}

export function badgeClass(badge: Badge, links: OpenBadgesLinks): JsonObject {
  return {
    '@context': OB2_CONTEXT,
    id: links.badgeClass(badge.id),
    type: 'BadgeClass',
    name: badge.name,
    description: badge.description,
    image: links.art(badge.image),
    criteria: criteriaOf(badge.criteria),
    issuer: links.issuer(badge.issuerId),
    tags: badge.tags,
  };
}

/** The recipient as Open Badges publishes it: the stored hash of email + salt. */
export function recipientOf(a: Pick<Assertion, 'recipient' | 'salt'>): JsonObject {
  return { type: 'email', hashed: true, salt: a.salt, identity: `sha256$${a.recipient}` };
}

export function evidenceOf(issuedFor: string | null): string | JsonObject | undefined {
  if (!issuedFor?.trim()) return undefined;
  return isHttpUrl(issuedFor) ? issuedFor.trim() : { narrative: issuedFor };
}

export function assertionDocument(a: Assertion, links: OpenBadgesLinks): JsonObject {
  const doc: JsonObject = {
    '@context': OB2_CONTEXT,
    id: links.assertion(a.id),
    type: 'Assertion',
    recipient: recipientOf(a),
    badge: links.badgeClass(a.badgeId),
    verification: { type: 'hosted' },
    issuedOn: isoSeconds(a.issuedOn),
    image: links.bakedImage(a.id),
  };
  const evidence = evidenceOf(a.issuedFor);
  if (evidence) doc.evidence = evidence;
  return doc;
}

/** What a revoked hosted assertion answers, with 410 Gone. */
export function revokedDocument(r: RevokedAssertion, links: OpenBadgesLinks): JsonObject {
  return {
    '@context': OB2_CONTEXT,
    id: links.assertion(r.id),
    type: 'Assertion',
    revoked: true,
    revocationReason: r.reason || 'Revoked by the issuer.',
  };
}

export function revocationList(
  issuer: Issuer,
  revoked: RevokedAssertion[],
  links: OpenBadgesLinks,
): JsonObject {
  return {
    '@context': OB2_CONTEXT,
    id: links.revocationList(issuer.id),
    type: 'RevocationList',
    issuer: links.issuer(issuer.id),
    revokedAssertions: revoked.map((r) => ({
      id: links.assertion(r.id),
      revocationReason: r.reason || 'Revoked by the issuer.',
    })),
  };
}
