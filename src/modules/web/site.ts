import { Inject, Injectable } from '@nestjs/common';
import { ENV } from '../../config/config.module';
import type { Env } from '../../config/env.schema';
import { Links } from '../../common/links';
import type { Viewer } from '../../common/viewer';
import { avatarUrl, DEFAULT_AVATAR_BASE, FALLBACK_AVATAR } from './avatar';
import { safeHref } from './format';

/** The sections of the site, for the navigation's "you are here". */
export type Section = 'home' | 'explore' | 'leaderboard' | 'series' | 'about' | 'none';

export interface FeedLink {
  title: string;
  href: string;
  type: 'application/rss+xml' | 'application/atom+xml';
}

/** What the layout needs: title, who is looking, where we are, and the sharing tags. */
export interface Layout {
  title: string;
  active: Section;
  viewer: Viewer | null;
  /** The viewer's profile, for the account corner. */
  viewerUrl: string | null;
  meta: {
    description: string;
    canonical: string;
    /** Open Graph / Twitter card image: absolute URL. */
    image: string | null;
    imageAlt: string | null;
    ogType: 'website' | 'profile' | 'article';
    /** Whether to emit the Open Graph and Twitter card tags (badge and profile pages). */
    share: boolean;
    feeds: FeedLink[];
  };
}

export interface BadgeTile {
  id: string;
  name: string;
  url: string;
  image: string;
  description?: string;
}

export interface PersonChip {
  nickname: string;
  /** Null for the rare person without an account name (Tahrir allowed them). */
  url: string | null;
  avatar: string;
}

/**
 * What every page presenter shares: the layout, and the small views of a badge and of a
 * person that appear everywhere (links stay relative on pages; feeds and sharing tags get
 * absolute URLs).
 */
@Injectable()
export class Site {
  readonly avatarBase: string;

  constructor(
    readonly links: Links,
    @Inject(ENV) env: Env,
  ) {
    this.avatarBase = env.ACCOLADES_AVATAR_BASE_URL ?? DEFAULT_AVATAR_BASE;
  }

  layout(o: {
    title: string;
    active: Section;
    viewer: Viewer | null;
    path: string;
    description?: string;
    image?: { url: string; alt: string } | null;
    ogType?: Layout['meta']['ogType'];
    share?: boolean;
    feeds?: FeedLink[];
  }): Layout {
    return {
      title: o.title,
      active: o.active,
      viewer: o.viewer,
      viewerUrl: o.viewer ? this.userUrl(o.viewer.nickname) : null,
      meta: {
        description:
          o.description ??
          'Fedora Badges: recognition for the people who make Fedora, from testing and packaging to design and events.',
        canonical: this.links.base + o.path,
        image: o.image ? this.absolute(o.image.url) : null,
        imageAlt: o.image?.alt ?? null,
        ogType: o.ogType ?? 'website',
        share: o.share ?? false,
        feeds: o.feeds ?? [],
      },
    };
  }

  /** A badge's art on a page: absolute URLs stay, file names are served under /pngs/. */
  badgeImage(image: string): string {
    return /^https?:\/\//i.test(image) ? image : `/pngs/${encodeURIComponent(image)}`;
  }

  badgeUrl(id: string): string {
    return `/badge/${encodeURIComponent(id)}`;
  }

  userUrl(nickname: string): string {
    return `/user/${encodeURIComponent(nickname)}`;
  }

  tile(b: { id: string; name: string; image: string; description?: string }): BadgeTile {
    return {
      id: b.id,
      name: b.name,
      url: this.badgeUrl(b.id),
      image: this.badgeImage(b.image),
      description: b.description,
    };
  }

  person(
    p: { nickname: string | null; email: string; avatar?: string | null },
    size = 64,
  ): PersonChip {
    const nickname = p.nickname ?? '(no account name)';
    return {
      nickname,
      url: p.nickname ? this.userUrl(p.nickname) : null,
      avatar: avatarUrl(p, size, this.avatarBase),
    };
  }

  get fallbackAvatar(): string {
    return FALLBACK_AVATAR;
  }

  /** An absolute URL for feeds and sharing tags. */
  absolute(pathOrUrl: string): string {
    return /^https?:\/\//i.test(pathOrUrl) ? pathOrUrl : this.links.base + pathOrUrl;
  }

  /** Links people entered or events carried: only http(s) ones become links. */
  href(url: string | null | undefined): string | null {
    return safeHref(url);
  }
}
