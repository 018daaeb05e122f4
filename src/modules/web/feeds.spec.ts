import { renderFeed } from './feeds';

describe('renderFeed', () => {
  const spec = {
    title: 'Badges of <b>eve</b>',
    description: 'The latest badges',
    link: 'https://badges.example.org/user/eve',
    self: 'https://badges.example.org/user/eve/rss',
    items: [
      {
        title: 'Tester <script>alert(1)</script>',
        link: 'https://badges.example.org/badge/tester',
        id: 'https://badges.example.org/badge/tester#eve',
        date: new Date('2026-11-20T10:00:00Z'),
        description: 'Commented & tested "things"',
      },
    ],
  };

  it('writes RSS 2.0 with escaped text', () => {
    const xml = renderFeed('rss', spec);
    expect(xml).toContain('<rss version="2.0"');
    expect(xml).toContain('<link>https://badges.example.org/badge/tester</link>');
    expect(xml).not.toContain('<script>');
    expect(xml).toContain('Tester &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(xml).not.toContain('<b>eve</b>');
    expect(xml).toContain('Fri, 20 Nov 2026 10:00:00 GMT');
  });

  it('writes Atom 1.0 with the item id and the feed date from the newest item', () => {
    const xml = renderFeed('atom', spec);
    expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    expect(xml).toContain('<id>https://badges.example.org/badge/tester#eve</id>');
    expect(xml).toContain('<updated>2026-11-20T10:00:00.000Z</updated>');
    expect(xml).not.toContain('<script>');
    expect(xml).toContain('Commented &amp; tested &quot;things&quot;');
  });
});
