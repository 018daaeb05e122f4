import { Injectable } from '@nestjs/common';
import type { Viewer } from '../../../common/viewer';
import type { Principal } from '../../auth/principal';
import { GrantingService } from '../../awards/granting.service';
import { AwardsService } from '../../awards/awards.service';
import { BadgesService } from '../../badges/badges.service';
import { SeriesService } from '../../badges/series.service';
import { HostedBadgesService } from '../../openbadges/hosted.service';
import { RankingService } from '../../users/ranking.service';
import type { FeedFormat, FeedSpec } from '../feeds';
import { formatDate } from '../format';
import { Site } from '../site';
import { tahrirBadge, type TahrirBadgeJson } from '../tahrir-json';

export const HOLDERS_PER_PAGE = 30;

/** The badge page, its Tahrir JSON and its feed of new holders. */
@Injectable()
export class BadgePresenter {
  constructor(
    private readonly site: Site,
    private readonly badges: BadgesService,
    private readonly awards: AwardsService,
    private readonly series: SeriesService,
    private readonly ranking: RankingService,
    private readonly hosted: HostedBadgesService,
    private readonly granting: GrantingService,
  ) {}

  async present(
    id: string,
    page: number,
    viewer: Viewer | null,
    principal: Principal | null = null,
    notice: { granted?: string; claimed?: boolean } = {},
  ) {
    const d = await this.badges.detail(id);
    const [holders, first, ladders, mine, mayGrant] = await Promise.all([
      this.awards.holders(id, { page, perPage: HOLDERS_PER_PAGE, badge: d.badge }),
      this.awards.holders(id, { perPage: 3, order: 'oldest', withTotal: false, badge: d.badge }),
      this.series.laddersOf([id]),
      viewer ? this.awards.holds(id, viewer.personId) : Promise.resolve(null),
      viewer ? this.granting.mayGrant(principal, id) : Promise.resolve(false),
    ]);
    const b = d.badge;
    const pages = Math.max(1, Math.ceil(holders.total / HOLDERS_PER_PAGE));
    const path = this.site.badgeUrl(b.id);
    return {
      ...this.site.layout({
        title: b.name,
        active: 'explore',
        viewer,
        path,
        description: b.description,
        image: { url: this.site.badgeImage(b.image), alt: `The ${b.name} badge` },
        ogType: 'article',
        share: true,
        feeds: [
          {
            title: `New holders of ${b.name} (RSS)`,
            href: `${path}/rss`,
            type: 'application/rss+xml',
          },
          {
            title: `New holders of ${b.name} (Atom)`,
            href: `${path}/atom`,
            type: 'application/atom+xml',
          },
        ],
      }),
      badge: {
        ...this.site.tile(b),
        criteria: this.site.href(b.criteria),
        tags: b.tags.map((t) => ({ name: t, url: `/tags/${encodeURIComponent(t)}/any` })),
        createdOn: b.createdOn,
        jsonUrl: `${path}/json`,
        rssUrl: `${path}/rss`,
        atomUrl: `${path}/atom`,
      },
      issuer: { name: d.issuer.name, url: this.site.href(d.issuer.origin), org: d.issuer.org },
      stats: {
        timesAwarded: d.timesAwarded,
        percent: d.percentEarned,
        firstAwarded: d.firstAwarded,
        lastAwarded: d.lastAwarded,
      },
      firstEarners: first.items.map((h) => this.holder(h)),
      holders: {
        items: holders.items.map((h) => this.holder(h)),
        total: holders.total,
        page: holders.page,
        pages,
        prev: holders.page > 1 ? `${path}?page=${holders.page - 1}` : null,
        next: holders.page < pages ? `${path}?page=${holders.page + 1}` : null,
      },
      latestEarner:
        holders.page === 1 && holders.items.length ? this.holder(holders.items[0]) : null,
      ladders: ladders.map((l) => {
        const i = l.steps.findIndex((s) => s.badge.id === b.id);
        const step = (k: number) =>
          k >= 0 && k < l.steps.length ? this.site.tile(l.steps[k].badge) : null;
        return {
          name: l.series.name,
          url: `/series/${encodeURIComponent(l.series.id)}`,
          position: i + 1,
          length: l.steps.length,
          prev: step(i - 1),
          next: step(i + 1),
        };
      }),
      // The granter's corner: a grant form and the invitations (never for anonymous pages).
      grant: mayGrant
        ? {
            action: `${path}/grant`,
            invitationsUrl: `${path}/invitations`,
            form: { nickname: '', issued_for: '' },
            errors: {} as Record<string, string>,
          }
        : null,
      granted: notice.granted ?? null,
      claimed: notice.claimed === true && Boolean(mine),
      mine: mine
        ? {
            issuedOn: mine.issuedOn,
            issuedFor: this.site.href(mine.issuedFor),
            issuedForText: mine.issuedFor,
            assertionId: mine.id,
            share: this.hosted.shareLinks(mine.id),
          }
        : null,
    };
  }

  private holder(h: {
    nickname: string | null;
    email: string;
    avatar: string | null;
    issuedOn: Date;
  }) {
    return { person: this.site.person(h, 48), issuedOn: h.issuedOn };
  }

  /** Tahrir's /badge/<id>/json. */
  async json(id: string): Promise<TahrirBadgeJson> {
    const [badge, totals] = await Promise.all([this.badges.get(id), this.ranking.totals()]);
    const ends = await this.awards.earnersAtEnds([badge.id]);
    return tahrirBadge(
      badge,
      this.site.links.badgeImage(badge.image),
      ends.get(badge.id),
      totals.persons,
    );
  }

  /** The newest holders of a badge (visible people only). */
  async feed(id: string, format: FeedFormat): Promise<FeedSpec> {
    const badge = await this.badges.get(id);
    const holders = await this.awards.holders(id, { perPage: 50, withTotal: false });
    const link = this.site.links.badge(badge.id);
    return {
      title: `New holders of ${badge.name}`,
      description: `The latest people awarded the Fedora badge ${badge.name}.`,
      link,
      self: `${link}/${format}`,
      items: holders.items.map((h) => ({
        title: `${h.nickname ?? 'Someone'} earned ${badge.name}`,
        link: h.nickname ? this.site.links.user(h.nickname) : link,
        id: `${link}#${h.nickname ?? h.personId}`,
        date: new Date(h.issuedOn),
        description: `${h.nickname ?? 'Someone'} was awarded ${badge.name} on ${formatDate(h.issuedOn)}.`,
      })),
    };
  }
}
