import type { Assertion } from '../awards/assertion.entity';
import type { Badge } from '../badges/badge.entity';
import type { Issuer } from '../badges/issuer.entity';
import { isHttpUrl, isoSeconds, type JsonObject } from './ob2.documents';
import { OB3_CONTEXT, OB3_SCHEMA, VC_V2_CONTEXT } from './ob3.model';
import type { OpenBadgesLinks } from './openbadges.links';

/** Open Badges 3.0 documents (VC Data Model 2.0), built from the stored rows. */

export interface StatusPosition {
  listId: number;
  index: number;
}

const image = (url: string) => ({ id: url, type: 'Image' });

export function profile(issuer: Issuer, links: OpenBadgesLinks): JsonObject {
  const doc: JsonObject = {
    id: links.profile(issuer.id),
    type: ['Profile'],
    name: issuer.name,
    url: issuer.origin,
  };
  const contact = issuer.contact.replace(/^mailto:/i, '').trim();
  if (/^[^\s@]+@[^\s@]+$/.test(contact)) doc.email = contact;
  if (issuer.image) doc.image = image(links.art(issuer.image));
  return doc;
}

export function achievement(badge: Badge, issuer: Issuer, links: OpenBadgesLinks): JsonObject {
  return {
    id: links.achievement(badge.id),
    type: ['Achievement'],
    achievementType: 'Badge',
    name: badge.name,
    description: badge.description,
    criteria: isHttpUrl(badge.criteria)
      ? { id: badge.criteria.trim() }
      : { narrative: badge.criteria },
    image: image(links.art(badge.image)),
    ...(badge.tags.length ? { tag: badge.tags } : {}),
    creator: profile(issuer, links),
  };
}

/** A standalone document (what the Profile and Achievement URLs answer). */
export function standalone(doc: JsonObject): JsonObject {
  return { '@context': [VC_V2_CONTEXT, OB3_CONTEXT], ...doc };
}

/**
 * The OpenBadgeCredential of an assertion. The recipient is the salted email hash Tahrir
 * stored (IdentityObject), so the credential verifies against the same email as the 2.0
 * assertion; no subject id is published (there is no identifier of the person to give
 * that would not undo the hashing).
 */
export function openBadgeCredential(
  a: Assertion,
  badge: Badge,
  issuer: Issuer,
  status: StatusPosition,
  links: OpenBadgesLinks,
): JsonObject {
  const issued = isoSeconds(a.issuedOn);
  const listUrl = links.statusList(status.listId);
  const doc: JsonObject = {
    '@context': [VC_V2_CONTEXT, OB3_CONTEXT],
    id: links.credential(a.id),
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: badge.name,
    description: badge.description,
    image: image(links.art(badge.image)),
    issuer: profile(issuer, links),
    validFrom: issued,
    awardedDate: issued,
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: [
        {
          type: 'IdentityObject',
          identityHash: `sha256$${a.recipient}`,
          identityType: 'emailAddress',
          hashed: true,
          salt: a.salt,
        },
      ],
      achievement: achievement(badge, issuer, links),
    },
    credentialStatus: {
      id: `${listUrl}#${status.index}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(status.index),
      statusListCredential: listUrl,
    },
    credentialSchema: [{ id: OB3_SCHEMA, type: '1EdTechJsonSchemaValidator2019' }],
  };
  if (a.issuedFor?.trim()) {
    doc.evidence = [
      isHttpUrl(a.issuedFor)
        ? { id: a.issuedFor.trim(), type: ['Evidence'] }
        : { type: ['Evidence'], narrative: a.issuedFor },
    ];
  }
  return doc;
}

export function statusListCredential(
  listId: number,
  issuer: Issuer,
  encodedList: string,
  updatedOn: Date,
  links: OpenBadgesLinks,
): JsonObject {
  const url = links.statusList(listId);
  return {
    '@context': [VC_V2_CONTEXT],
    id: url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: { id: links.profile(issuer.id), type: ['Profile'], name: issuer.name },
    validFrom: isoSeconds(updatedOn),
    credentialSubject: {
      id: `${url}#list`,
      type: 'BitstringStatusList',
      statusPurpose: 'revocation',
      encodedList,
    },
  };
}

/** The JWT claims OB 3.0 requires next to the credential (section 8.2.4). */
export function jwtClaims(credential: JsonObject): JsonObject {
  const issuer = credential.issuer as { id: string };
  const claims: JsonObject = {
    iss: issuer.id,
    jti: credential.id,
    nbf: Math.floor(Date.parse(String(credential.validFrom)) / 1000),
  };
  const subject = credential.credentialSubject as { id?: string } | undefined;
  if (subject?.id) claims.sub = subject.id;
  if (credential.validUntil) {
    claims.exp = Math.floor(Date.parse(String(credential.validUntil)) / 1000);
  }
  return claims;
}
