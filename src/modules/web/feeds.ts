import type { Response } from 'express';
import { Feed } from 'feed';

export type FeedFormat = 'rss' | 'atom';

export interface FeedSpec {
  title: string;
  description: string;
  /** Absolute URL of the page the feed follows. */
  link: string;
  /** Absolute URL of the feed itself. */
  self: string;
  items: { title: string; link: string; id: string; date: Date; description: string }[];
}

const TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
};

/** HTML-escapes text: feed titles and summaries are read as HTML (Atom type="html"). */
export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/**
 * An RSS 2.0 or Atom 1.0 document. The `feed` library puts titles and summaries in CDATA
 * marked as HTML, so every text is HTML-escaped first: a badge name or a description
 * cannot inject markup into feed readers.
 */
export function renderFeed(format: FeedFormat, spec: FeedSpec): string {
  const updated = spec.items.length ? spec.items[0].date : new Date(0);
  const feed = new Feed({
    id: spec.self,
    title: escapeHtml(spec.title),
    description: escapeHtml(spec.description),
    link: spec.link,
    language: 'en',
    updated,
    generator: 'Accolades',
    copyright: 'Fedora Project contributors',
    feedLinks: format === 'atom' ? { atom: spec.self } : { rss: spec.self },
  });
  for (const item of spec.items) {
    feed.addItem({
      title: escapeHtml(item.title),
      id: item.id,
      link: item.link,
      date: item.date,
      description: escapeHtml(item.description),
    });
  }
  return format === 'atom' ? feed.atom1() : feed.rss2();
}

export function sendFeed(res: Response, format: FeedFormat, spec: FeedSpec): void {
  res.type(TYPES[format]).send(renderFeed(format, spec));
}
