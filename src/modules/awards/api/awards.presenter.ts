import { iso } from '../../../common/api/page.presenter';
import type { Links } from '../../../common/links';
import { presentBadge } from '../../badges/api/badges.presenter';
import type { Assertion } from '../assertion.entity';
import type { AwardResult, HeldBadge, Holder } from '../awards.service';
import type { Progress } from '../progress.service';

export function presentAssertion(a: Assertion) {
  return {
    id: a.id,
    badge_id: a.badgeId,
    issued_on: iso(a.issuedOn),
    issued_for: a.issuedFor,
    recipient: `sha256$${a.recipient}`,
    salt: a.salt,
  };
}

export function presentAward(r: Extract<AwardResult, { status: 'awarded' }>) {
  return {
    ...presentAssertion(r.assertion),
    nickname: r.person.nickname,
    old_rank: r.oldRank,
    new_rank: r.newRank,
  };
}

export function presentHeld(h: HeldBadge, links: Links) {
  return {
    badge: presentBadge(h.badge, links),
    issued_on: iso(h.assertion.issuedOn),
    issued_for: h.assertion.issuedFor,
    assertion_id: h.assertion.id,
  };
}

export function presentHolder(h: Holder) {
  return { nickname: h.nickname, issued_on: iso(h.issuedOn), issued_for: h.issuedFor };
}

export function presentProgress(p: Progress, links: Links) {
  return {
    badge_id: p.badge.id,
    badge_name: p.badge.name,
    image_url: links.badgeImage(p.badge.image),
    value: p.value,
    // The value that earns the badge (pages show "37 of 40"); null when the rule does not say.
    target: p.target,
    last_update: iso(p.lastUpdate),
  };
}
