/** Open Badges 3.0 / VC Data Model 2.0 constants and the structural rules we check. */
export const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const OB3_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const OB3_SCHEMA =
  'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json';
const OB3_CONTEXT_RE =
  /^https:\/\/purl\.imsglobal\.org\/spec\/ob\/v3p0\/context(-3\.0\.\d+)?\.json$/;

/** xsd:dateTimeStamp: a date and time with a time zone (Z or an offset). */
export const DATE_TIME_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
/** A hashed identity as Open Badges writes it. */
export const IDENTITY_HASH = /^(sha256\$[0-9a-f]{64}|md5\$[0-9a-f]{32})$/;

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const types = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.filter((t): t is string => typeof t === 'string')
    : typeof v === 'string'
      ? [v]
      : [];
const isUri = (v: unknown): v is string =>
  typeof v === 'string' && /^[a-z][a-z0-9+.-]*:\S+$/i.test(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

/** The @context rule of OB 3.0: the VC 2.0 context first, then an OB 3.0 context. */
export function contextProblems(c: Obj): string[] {
  const ctx = Array.isArray(c['@context']) ? (c['@context'] as unknown[]) : [];
  const problems: string[] = [];
  if (ctx[0] !== VC_V2_CONTEXT) problems.push(`@context must start with ${VC_V2_CONTEXT}`);
  if (!ctx.some((x) => typeof x === 'string' && OB3_CONTEXT_RE.test(x))) {
    problems.push('@context must include the Open Badges 3.0 context');
  }
  return problems;
}

export function issuerIdOf(c: Obj): string | null {
  const issuer = c.issuer;
  if (typeof issuer === 'string') return issuer;
  return isObj(issuer) && typeof issuer.id === 'string' ? issuer.id : null;
}

/**
 * Every required field of an OpenBadgeCredential (OB 3.0 AchievementCredential,
 * AchievementSubject, Achievement, Criteria, IdentityObject, Profile, Image), as a list
 * of problems (empty when the credential is well formed).
 */
export function credentialProblems(c: Obj): string[] {
  const p: string[] = [...contextProblems(c)];
  if (!isUri(c.id)) p.push('id must be a URI');
  const t = types(c.type);
  if (!t.includes('VerifiableCredential')) p.push('type must include VerifiableCredential');
  if (!t.includes('OpenBadgeCredential') && !t.includes('AchievementCredential')) {
    p.push('type must include OpenBadgeCredential');
  }
  if (!nonEmpty(c.name)) p.push('name is required');
  if (isObj(c.issuer)) {
    if (!isUri(c.issuer.id)) p.push('issuer.id must be a URI');
    if (!types(c.issuer.type).includes('Profile')) p.push('issuer.type must include Profile');
  } else if (!isUri(c.issuer)) {
    p.push('issuer is required');
  }
  if (typeof c.validFrom !== 'string' || !DATE_TIME_Z.test(c.validFrom)) {
    p.push('validFrom must be a date-time with a time zone');
  }
  if (
    c.validUntil !== undefined &&
    (typeof c.validUntil !== 'string' || !DATE_TIME_Z.test(c.validUntil))
  ) {
    p.push('validUntil must be a date-time with a time zone');
  }
  if (c.image !== undefined) p.push(...imageProblems(c.image, 'image'));
  const s = c.credentialSubject;
  if (!isObj(s)) return [...p, 'credentialSubject must be one object'];
  if (!types(s.type).includes('AchievementSubject')) {
    p.push('credentialSubject.type must include AchievementSubject');
  }
  const ids = Array.isArray(s.identifier)
    ? s.identifier
    : s.identifier === undefined
      ? []
      : [s.identifier];
  if (s.id === undefined && ids.length === 0) {
    p.push('credentialSubject needs an id or an identifier');
  }
  ids.forEach((i, n) => {
    const at = `credentialSubject.identifier[${n}]`;
    if (!isObj(i)) return p.push(`${at} must be an object`);
    if (!types(i.type).includes('IdentityObject')) p.push(`${at}.type must be IdentityObject`);
    if (typeof i.hashed !== 'boolean') p.push(`${at}.hashed must be a boolean`);
    if (!nonEmpty(i.identityHash)) p.push(`${at}.identityHash is required`);
    else if (i.hashed === true && !IDENTITY_HASH.test(i.identityHash)) {
      p.push(`${at}.identityHash must be sha256$<64 hex digits>`);
    }
    if (!nonEmpty(i.identityType)) p.push(`${at}.identityType is required`);
  });
  const a = s.achievement;
  if (!isObj(a)) return [...p, 'credentialSubject.achievement is required'];
  if (!isUri(a.id)) p.push('achievement.id must be a URI');
  if (!types(a.type).includes('Achievement')) p.push('achievement.type must include Achievement');
  if (!nonEmpty(a.name)) p.push('achievement.name is required');
  if (typeof a.description !== 'string') p.push('achievement.description is required');
  if (!isObj(a.criteria) || (!isUri(a.criteria.id) && !nonEmpty(a.criteria.narrative))) {
    p.push('achievement.criteria needs an id or a narrative');
  }
  if (a.image !== undefined) p.push(...imageProblems(a.image, 'achievement.image'));
  return p;
}

function imageProblems(img: unknown, at: string): string[] {
  if (!isObj(img)) return [`${at} must be an Image object`];
  const p: string[] = [];
  if (!isUri(img.id)) p.push(`${at}.id must be a URI`);
  if (img.type !== 'Image') p.push(`${at}.type must be Image`);
  return p;
}
