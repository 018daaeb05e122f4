import { iso } from '../../../common/api/page.presenter';
import type { Links } from '../../../common/links';
import type { Badge } from '../badge.entity';
import type { BadgeDetail } from '../badges.service';
import type { Issuer } from '../issuer.entity';
import type { Series } from '../series.entity';
import type { SeriesDetail } from '../series.service';

export function presentBadge(b: Badge, links: Links) {
  return {
    id: b.id,
    name: b.name,
    description: b.description,
    image: b.image,
    image_url: links.badgeImage(b.image),
    criteria: b.criteria,
    issuer_id: b.issuerId,
    tags: b.tags,
    created_on: iso(b.createdOn),
    times_awarded: b.holdersCount,
    url: links.badge(b.id),
  };
}

export function presentIssuer(i: Issuer) {
  return {
    id: i.id,
    name: i.name,
    origin: i.origin,
    org: i.org,
    contact: i.contact,
    image: i.image,
    created_on: iso(i.createdOn),
  };
}

export function presentBadgeDetail(d: BadgeDetail, links: Links) {
  return {
    ...presentBadge(d.badge, links),
    issuer: presentIssuer(d.issuer),
    times_awarded: d.timesAwarded,
    first_awarded: iso(d.firstAwarded),
    last_awarded: iso(d.lastAwarded),
    percent_earned: d.percentEarned,
  };
}

export function presentSeries(s: Series & { badgeCount?: number }, links: Links) {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    tags: s.tags,
    team_id: s.teamId,
    created_on: iso(s.createdOn),
    last_updated: iso(s.lastUpdated),
    ...(s.badgeCount !== undefined ? { badge_count: s.badgeCount } : {}),
    url: links.series(s.id),
  };
}

export function presentSeriesDetail(d: SeriesDetail, links: Links) {
  return {
    ...presentSeries(d.series, links),
    team: d.team ? { id: d.team.id, name: d.team.name } : null,
    milestones: d.steps.map((s) => ({ position: s.position, badge: presentBadge(s.badge, links) })),
  };
}
