import { iso } from '../../../common/api/page.presenter';
import type { Links } from '../../../common/links';
import type { Person } from '../person.entity';
import type { Leaderboard } from '../ranking.service';
import type { UserProfile } from '../users.service';

/** Public view of a person: no email (it is personal data), an avatar URL instead. */
export function presentPerson(p: Person, links: Links) {
  return {
    id: p.id,
    nickname: p.nickname,
    website: p.website,
    bio: p.bio,
    created_on: iso(p.createdOn),
    badge_count: p.badgeCount,
    url: p.nickname ? links.user(p.nickname) : null,
  };
}

export function presentProfile(u: UserProfile, links: Links) {
  return {
    ...presentPerson(u.person, links),
    rank: u.rank,
    percentile: u.percentile,
    ranked_users: u.rankedTotal,
    last_login: iso(u.person.lastLogin),
  };
}

export function presentLeaderboard(b: Leaderboard) {
  return {
    period: b.period,
    start: b.start,
    end: b.end,
    entries: b.entries.map((e) => ({ rank: e.rank, nickname: e.nickname, badges: e.badges })),
  };
}
