import { ApiClient } from './api-client';
import { mapLimit, preview } from './holdings';
import type { Badge } from './types';

/** A fake API: people, who holds the badge, and the paths asked for. */
function fakeApi(people: Record<string, { badge_count: number; holds: boolean }>) {
  const paths: string[] = [];
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const page = (items: unknown[]) => ({
    items,
    total: items.length,
    page: 1,
    per_page: 200,
    pages: 1,
  });
  const fetchImpl = (async (url: URL) => {
    paths.push(url.pathname);
    const user = /^\/api\/v1\/users\/([^/]+)$/.exec(url.pathname)?.[1];
    if (user) {
      const p = people[user];
      return p
        ? json(200, { nickname: user, badge_count: p.badge_count })
        : json(404, { code: 'USER.NOT_FOUND', message: 'No.' });
    }
    const held = /^\/api\/v1\/users\/([^/]+)\/assertions$/.exec(url.pathname)?.[1];
    if (held) return json(200, page(people[held].holds ? [{ badge: { id: 'flock' } }] : []));
    if (url.pathname === '/api/v1/badges/flock/holders')
      return json(
        200,
        page(
          Object.keys(people)
            .filter((n) => people[n].holds)
            .map((nickname) => ({ nickname })),
        ),
      );
    return json(404, { code: 'ROUTE.NOT_FOUND', message: 'No.' });
  }) as unknown as typeof fetch;
  return { api: new ApiClient({ url: 'http://x', token: null }, fetchImpl), paths };
}

const badge = (timesAwarded: number) => ({ id: 'flock', times_awarded: timesAwarded }) as Badge;

describe('preview of a bulk award or revocation', () => {
  const people = { ann: { badge_count: 3, holds: true }, bo: { badge_count: 0, holds: false } };

  it('sorts people into who changes, who does not, who is unknown', async () => {
    const { api } = fakeApi(people);
    expect(await preview(api, 'award', badge(1), ['ann', 'bo', 'cy'])).toEqual({
      change: ['bo'],
      unchanged: ['ann'],
      unknown: ['cy'],
    });
    expect(await preview(api, 'revoke', badge(1), ['ann', 'bo', 'cy'])).toEqual({
      change: ['ann'],
      unchanged: ['bo'],
      unknown: ['cy'],
    });
  });

  it("reads the badge's holders when that takes fewer requests, else each person's badges", async () => {
    const few = fakeApi(people);
    await preview(few.api, 'award', badge(1), ['ann', 'bo']);
    expect(few.paths.filter((p) => !/users\/[^/]+$/.test(p))).toEqual([
      '/api/v1/badges/flock/holders',
    ]);

    const popular = fakeApi(people);
    await preview(popular.api, 'award', badge(100_000), ['ann', 'bo']);
    expect(popular.paths.filter((p) => p.endsWith('/assertions')).sort()).toEqual([
      '/api/v1/users/ann/assertions',
      '/api/v1/users/bo/assertions',
    ]);
  });
});

describe('mapLimit', () => {
  it('keeps the order and never runs more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, n));
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });
});
