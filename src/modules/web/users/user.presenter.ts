import { Injectable } from '@nestjs/common';
import type { Viewer } from '../../../common/viewer';
import { AwardsService, type HeldBadge } from '../../awards/awards.service';
import { ProgressService } from '../../awards/progress.service';
import { BadgesService } from '../../badges/badges.service';
import { SeriesService } from '../../badges/series.service';
import { HostedBadgesService } from '../../openbadges/hosted.service';
import type { Person } from '../../users/person.entity';
import { RankingService } from '../../users/ranking.service';
import { UsersService } from '../../users/users.service';
import { avatarUrl } from '../avatar';
import type { FeedFormat, FeedSpec } from '../feeds';
import { formatDate } from '../format';
import { Site } from '../site';
import { tahrirBadge, tahrirPercentile, unixSeconds } from '../tahrir-json';

const HISTORY = 10;

/** A profile, its Tahrir JSON, its feeds, and two people compared. */
@Injectable()
export class UserPresenter {
  constructor(
    private readonly site: Site,
    private readonly users: UsersService,
    private readonly ranking: RankingService,
    private readonly awards: AwardsService,
    private readonly progress: ProgressService,
    private readonly badges: BadgesService,
    private readonly series: SeriesService,
    private readonly hosted: HostedBadgesService,
  ) {}

  /** The person a Tahrir URL names (nickname, or numeric id as Tahrir allowed). */
  find(idOrNickname: string): Promise<Person> {
    return this.users.getVisibleByIdOrNickname(idOrNickname);
  }

  async present(nickname: string, viewer: Viewer | null) {
    const profile = await this.users.profile(nickname);
    const [held, progress, counts] = await Promise.all([
      this.awards.allHeldBy(profile.person.id),
      this.progress.ofPerson(profile.person.id),
      this.badges.counts(),
    ]);
    const p = profile.person;
    const heldById = new Map(held.map((h) => [h.badge.id, h]));
    const progressById = new Map(progress.map((v) => [v.badge.id, v]));
    const ladders = await this.series.laddersOf([...heldById.keys(), ...progressById.keys()]);
    const inLadder = new Set<string>();
    const series = ladders.map((l) => {
      for (const s of l.steps) inLadder.add(s.badge.id);
      const steps = l.steps.map((s) => {
        const h = heldById.get(s.badge.id);
        return { ...this.site.tile(s.badge), held: !!h, issuedOn: h?.assertion.issuedOn ?? null };
      });
      const nextIndex = steps.findIndex((s) => !s.held);
      const next = nextIndex >= 0 ? steps[nextIndex] : null;
      const value = next ? progressById.get(next.id) : undefined;
      return {
        name: l.series.name,
        url: `/series/${encodeURIComponent(l.series.id)}`,
        heldCount: steps.filter((s) => s.held).length,
        steps,
        next: next
          ? {
              ...next,
              value: value?.value ?? null,
              target: value?.target ?? null,
              // <progress> needs a maximum: known target, else no bar.
              hasBar: !!value && value.target !== null && value.target > 0,
            }
          : null,
        complete: nextIndex < 0,
      };
    });
    const path = this.site.userUrl(p.nickname!);
    const person = this.site.person(p, 160);
    return {
      ...this.site.layout({
        title: p.nickname!,
        active: 'none',
        viewer,
        path,
        description: `${p.nickname} holds ${held.length} Fedora badge${held.length === 1 ? '' : 's'}${
          profile.rank ? `, rank ${profile.rank} of ${profile.rankedTotal}` : ''
        }.`,
        image: { url: avatarUrl(p, 256, this.site.avatarBase), alt: `Avatar of ${p.nickname}` },
        ogType: 'profile',
        share: true,
        feeds: [
          {
            title: `Badges of ${p.nickname} (RSS)`,
            href: `${path}/rss`,
            type: 'application/rss+xml',
          },
          {
            title: `Badges of ${p.nickname} (Atom)`,
            href: `${path}/atom`,
            type: 'application/atom+xml',
          },
        ],
      }),
      person: {
        ...person,
        bio: p.bio,
        website: this.site.href(p.website),
        websiteText: p.website,
        since: p.createdOn,
        jsonUrl: `${path}/json`,
        rssUrl: `${path}/rss`,
        atomUrl: `${path}/atom`,
      },
      isViewer: viewer?.personId === p.id,
      compareWithViewer:
        viewer && viewer.personId !== p.id
          ? `/diff/${encodeURIComponent(viewer.nickname)}/${encodeURIComponent(p.nickname!)}`
          : null,
      stats: {
        badges: held.length,
        rank: profile.rank,
        rankedTotal: profile.rankedTotal,
        percentile: profile.percentile,
        shareOfBadges: counts.badges ? (held.length / counts.badges) * 100 : 0,
        totalBadges: counts.badges,
      },
      series,
      others: held.filter((h) => !inLadder.has(h.badge.id)).map((h) => this.heldTile(h)),
      history: held.slice(0, HISTORY).map((h) => this.heldTile(h)),
      moreHistory: Math.max(0, held.length - HISTORY),
    };
  }

  private heldTile(h: HeldBadge) {
    return {
      ...this.site.tile(h.badge),
      issuedOn: h.assertion.issuedOn,
      issuedFor: this.site.href(h.assertion.issuedFor),
      assertionId: h.assertion.id,
      share: this.hosted.shareLinks(h.assertion.id),
    };
  }

  /** Tahrir's /user/<nick>/json. */
  async json(idOrNickname: string, avatarSize: number) {
    const person = await this.find(idOrNickname);
    const [held, totals, counts, rank] = await Promise.all([
      this.awards.allHeldBy(person.id),
      this.ranking.totals(),
      this.badges.counts(),
      this.ranking.rankOf(person),
    ]);
    const ends = await this.awards.earnersAtEnds(held.map((h) => h.badge.id));
    return {
      user: person.nickname,
      avatar: avatarUrl(person, avatarSize, this.site.avatarBase),
      percent_earned: counts.badges ? (held.length / counts.badges) * 100 : 0,
      assertions: held.map((h) => ({
        issued: unixSeconds(h.assertion.issuedOn),
        ...tahrirBadge(
          h.badge,
          this.site.links.badgeImage(h.badge.image),
          ends.get(h.badge.id),
          totals.persons,
        ),
      })),
      percentile: tahrirPercentile(rank ?? 0, totals.visible),
      rank: rank ?? 0,
      user_count: totals.visible,
    };
  }

  /** A person's newest badges. */
  async feed(idOrNickname: string, format: FeedFormat): Promise<FeedSpec> {
    const person = await this.find(idOrNickname);
    const held = await this.awards.heldBy(person.nickname!, { perPage: 50 });
    const link = this.site.links.user(person.nickname!);
    return {
      title: `Fedora badges of ${person.nickname}`,
      description: `The latest Fedora badges earned by ${person.nickname}.`,
      link,
      self: `${link}/${format}`,
      items: held.items.map((h) => ({
        title: h.badge.name,
        link: this.site.links.badge(h.badge.id),
        id: `${link}#${h.badge.id}`,
        date: new Date(h.assertion.issuedOn),
        description: `${person.nickname} earned ${h.badge.name} on ${formatDate(h.assertion.issuedOn)}: ${h.badge.description}`,
      })),
    };
  }

  /** Two people side by side. */
  async compare(a: string, b: string, viewer: Viewer | null) {
    const c = await this.awards.compare(a, b);
    const [rankA, rankB] = await Promise.all([this.ranking.rankOf(c.a), this.ranking.rankOf(c.b)]);
    const side = (p: Person, rank: number | null) => ({
      ...this.site.person(p, 96),
      badges: p.badgeCount,
      rank,
    });
    const A = c.a.nickname!;
    const B = c.b.nickname!;
    return {
      ...this.site.layout({
        title: `${A} and ${B} compared`,
        active: 'none',
        viewer,
        path: `/diff/${encodeURIComponent(A)}/${encodeURIComponent(B)}`,
      }),
      a: side(c.a, rankA),
      b: side(c.b, rankB),
      onlyA: c.onlyA.map((x) => this.site.tile(x)),
      onlyB: c.onlyB.map((x) => this.site.tile(x)),
      shared: c.shared.map((x) => this.site.tile(x)),
      swapUrl: `/diff/${encodeURIComponent(B)}/${encodeURIComponent(A)}`,
    };
  }
}
