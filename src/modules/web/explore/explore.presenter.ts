import { Injectable } from '@nestjs/common';
import type { Viewer } from '../../../common/viewer';
import { BadgesService } from '../../badges/badges.service';
import { normalizeTags } from '../../badges/tags';
import { UsersService } from '../../users/users.service';
import type { FeedFormat, FeedSpec } from '../feeds';
import { Site } from '../site';

export const TAG_PAGE_SIZE = 60;

/** Explore: search (badges, people, tags), badges by tag, newest badges, tag pages. */
@Injectable()
export class ExplorePresenter {
  constructor(
    private readonly site: Site,
    private readonly badges: BadgesService,
    private readonly users: UsersService,
  ) {}

  async present(q: string, viewer: Viewer | null) {
    const [tags, newest, popular, found, people] = await Promise.all([
      this.badges.tags(),
      this.badges.list({ sort: 'newest', perPage: 8 }),
      this.badges.list({ sort: 'popular', perPage: 8 }),
      q ? this.badges.list({ q, perPage: 48 }) : Promise.resolve(null),
      q ? this.users.search(q, 24) : Promise.resolve([]),
    ]);
    const needle = q.toLowerCase();
    return {
      ...this.site.layout({
        title: q ? `Search: ${q}` : 'Explore',
        active: 'explore',
        viewer,
        path: q ? `/explore?q=${encodeURIComponent(q)}` : '/explore',
        feeds: this.newBadgeFeeds(),
      }),
      q,
      results: q
        ? {
            badges: found!.items.map((b) => this.site.tile(b)),
            badgeTotal: found!.total,
            people: people.map((p) => ({ ...this.site.person(p, 40), badges: p.badgeCount })),
            tags: tags.filter((t) => t.tag.includes(needle)).map((t) => this.tag(t)),
          }
        : null,
      tags: tags.map((t) => this.tag(t)),
      newest: newest.items.map((b) => ({ ...this.site.tile(b), createdOn: b.createdOn })),
      popular: popular.items.map((b) => ({ ...this.site.tile(b), holders: b.holdersCount })),
    };
  }

  /** Every badge, grouped by tag (a badge appears under each of its tags). */
  async byTag(viewer: Viewer | null) {
    const [tags, all] = await Promise.all([this.badges.tags(), this.badges.all()]);
    const groups = new Map<string, ReturnType<Site['tile']>[]>();
    for (const b of all) {
      for (const t of b.tags) {
        const list = groups.get(t) ?? [];
        list.push(this.site.tile(b));
        groups.set(t, list);
      }
    }
    return {
      ...this.site.layout({
        title: 'Badges by tag',
        active: 'explore',
        viewer,
        path: '/explore/badges',
        feeds: this.newBadgeFeeds(),
      }),
      groups: tags
        .filter((t) => groups.has(t.tag))
        .map((t) => ({
          ...this.tag(t),
          anchor: `tag-${t.tag.replace(/[^a-z0-9-]/g, '-')}`,
          badges: groups.get(t.tag),
        })),
      total: all.length,
    };
  }

  /** Badges carrying any or all of several tags (Tahrir's /tags/<a,b>/<any|all>). */
  async tagPage(rawTags: string, match: 'any' | 'all', page: number, viewer: Viewer | null) {
    const tags = normalizeTags(rawTags).slice(0, 10);
    const list = tags.length
      ? await this.badges.list({ tags, tagMode: match, sort: 'name', page, perPage: TAG_PAGE_SIZE })
      : { items: [], total: 0, page: 1, perPage: TAG_PAGE_SIZE };
    const joined = tags.join(',');
    const path = `/tags/${encodeURIComponent(joined)}/${match}`;
    const pages = Math.max(1, Math.ceil(list.total / TAG_PAGE_SIZE));
    const title =
      tags.length > 1
        ? `Badges tagged ${match === 'all' ? 'all of' : 'any of'} ${tags.join(', ')}`
        : `Badges tagged ${tags[0] ?? ''}`;
    return {
      ...this.site.layout({ title, active: 'explore', viewer, path }),
      tags,
      match,
      badges: list.items.map((b) => this.site.tile(b)),
      total: list.total,
      other:
        tags.length > 1
          ? {
              url: `/tags/${encodeURIComponent(joined)}/${match === 'all' ? 'any' : 'all'}`,
              match: match === 'all' ? 'any' : 'all',
            }
          : null,
      pager: {
        page: list.page,
        pages,
        prev: list.page > 1 ? `${path}?page=${list.page - 1}` : null,
        next: list.page < pages ? `${path}?page=${list.page + 1}` : null,
      },
    };
  }

  /** The newest badges (Tahrir's /explore/badges/rss). */
  async newBadgesFeed(format: FeedFormat): Promise<FeedSpec> {
    const newest = await this.badges.list({ sort: 'newest', perPage: 30 });
    const self = `${this.site.links.base}/explore/badges/${format}`;
    return {
      title: 'New Fedora badges',
      description: 'The newest badges that Fedora contributors can earn.',
      link: `${this.site.links.base}/explore/badges`,
      self,
      items: newest.items.map((b) => ({
        title: `New badge: ${b.name}`,
        link: this.site.links.badge(b.id),
        id: this.site.links.badge(b.id),
        date: new Date(b.createdOn),
        description: b.description,
      })),
    };
  }

  private newBadgeFeeds() {
    return [
      {
        title: 'New badges (RSS)',
        href: '/explore/badges/rss',
        type: 'application/rss+xml' as const,
      },
      {
        title: 'New badges (Atom)',
        href: '/explore/badges/atom',
        type: 'application/atom+xml' as const,
      },
    ];
  }

  private tag(t: { tag: string; badges: number }) {
    return { name: t.tag, badges: t.badges, url: `/tags/${encodeURIComponent(t.tag)}/any` };
  }
}
