import { createHash } from 'node:crypto';

export const DEFAULT_AVATAR_BASE = 'https://seccdn.libravatar.org/avatar';
/** Shown when no avatar service is configured, and swapped in when one does not answer. */
export const FALLBACK_AVATAR = '/assets/img/avatar.svg';

/**
 * A person's avatar: their own avatar URL when they set an https one, else Libravatar's
 * image for the sha256 of their trimmed, lower-cased email (Libravatar's recommended hash),
 * else the local fallback when the base is `none`.
 */
export function avatarUrl(
  person: { email: string; avatar?: string | null },
  size: number,
  base: string = DEFAULT_AVATAR_BASE,
): string {
  if (person.avatar && /^https:\/\//i.test(person.avatar)) return person.avatar;
  if (base === 'none') return FALLBACK_AVATAR;
  const hash = createHash('sha256').update(person.email.trim().toLowerCase()).digest('hex');
  return `${base.replace(/\/+$/, '')}/${hash}?s=${size}&d=identicon`;
}
