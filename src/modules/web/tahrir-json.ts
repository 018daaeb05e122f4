import type { Badge } from '../badges/badge.entity';
import type { Earner } from '../awards/awards.service';

/**
 * Tahrir's JSON shapes, field for field, for /badge/<id>/json, /user/<nick>/json and
 * /leaderboard/json, so scripts and other Fedora apps that read them keep working.
 * Tahrir's quirks are kept on purpose: dates are Unix seconds as floats, tags are the
 * comma-separated string with its trailing comma, percent_earned of a badge is the share
 * of all persons in percent, the percentile of a user is a decimal string ("3.2000").
 */
export interface TahrirBadgeJson {
  id: string;
  name: string;
  description: string;
  times_awarded: number;
  last_awarded: number | null;
  last_awarded_person: string | null;
  first_awarded: number | null;
  first_awarded_person: string | null;
  percent_earned: number;
  image: string;
  tags: string;
}

export const unixSeconds = (d: Date | null | undefined): number | null =>
  d ? new Date(d).getTime() / 1000 : null;

export function tahrirTags(tags: string[]): string {
  return tags.map((t) => `${t},`).join('');
}

export function tahrirBadge(
  b: Pick<Badge, 'id' | 'name' | 'description' | 'holdersCount' | 'tags'>,
  imageUrl: string,
  ends: { first: Earner | null; last: Earner | null } | undefined,
  persons: number,
): TahrirBadgeJson {
  return {
    id: b.id,
    name: b.name,
    description: b.description,
    times_awarded: b.holdersCount,
    last_awarded: unixSeconds(ends?.last?.issuedOn),
    last_awarded_person: ends?.last?.nickname ?? null,
    first_awarded: unixSeconds(ends?.first?.issuedOn),
    first_awarded_person: ends?.first?.nickname ?? null,
    percent_earned: persons ? (b.holdersCount / persons) * 100 : 0,
    image: imageUrl,
    tags: tahrirTags(b.tags),
  };
}

/**
 * Tahrir's percentile string: rank / visible users rounded up to 4 decimals, times 100,
 * printed as Python's Decimal did ("3.2000"; "0" with nobody to compare with).
 */
export function tahrirPercentile(rank: number, users: number): string {
  if (users <= 0) return '0';
  const ten4 = Math.ceil((rank / users) * 10000 - 1e-9);
  return (ten4 / 100).toFixed(4);
}
