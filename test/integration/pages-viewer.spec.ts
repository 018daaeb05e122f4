import type { NextFunction, Request, Response } from 'express';
import { award, makeBadge, makePerson } from '../support/factories';
import { textOf } from '../support/pages';
import { createTestApp, type TestApp } from '../support/test-app';
import { UsersService } from '../../src/modules/users/users.service';

/**
 * Pages for a logged-in viewer over HTTP. Login (issue 7) will authenticate the request and
 * put the viewer on `req.user` in middleware that runs before the routes; here a middleware
 * does only that last step from a test header, so the pages' logged-in parts and the page
 * cache's handling of viewers are exercised end to end without any login route.
 */
describe('pages for a logged-in viewer', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      beforeInit: (app) =>
        app.use(async (req: Request, _res: Response, next: NextFunction) => {
          const nickname = req.header('x-test-viewer');
          if (nickname) {
            const person = await t.get(UsersService).findByNickname(nickname);
            (req as { user?: unknown }).user = {
              personId: person!.id,
              nickname,
              isAdmin: false,
            };
          }
          next();
        }),
    });
    await makeBadge(t, { name: 'Tester' });
    for (const n of ['ann', 'ben', 'cat']) await makePerson(t, n);
    await award(t, 'tester', 'ann');
    await award(t, 'tester', 'ben');
  });

  afterAll(() => t?.close());

  it('never serves a viewer a cached page, nor caches theirs for others', async () => {
    await t.http().get('/badge/tester').expect(200);
    const anon = await t.http().get('/badge/tester').expect(200);
    expect(anon.headers['x-page-cache']).toBe('hit');
    expect(anon.text).not.toContain('You hold this badge');

    const ann = await t.http().get('/badge/tester').set('x-test-viewer', 'ann').expect(200);
    expect(ann.headers['x-page-cache']).toBeUndefined();
    expect(textOf(ann.text)).toContain('You hold this badge since');
    expect(ann.text).toContain('class="account__me" href="/user/ann">ann</a>');

    const again = await t.http().get('/badge/tester').expect(200);
    expect(again.headers['x-page-cache']).toBe('hit');
    expect(again.text).not.toContain('You hold this badge');
  });

  it('shows the viewer their place on the leaderboard', async () => {
    const cat = await t.http().get('/leaderboard').set('x-test-viewer', 'cat').expect(200);
    expect(textOf(cat.text)).toContain('You are not on this leaderboard yet.');
    const ben = await t.http().get('/leaderboard').set('x-test-viewer', 'ben').expect(200);
    expect(ben.text).toMatch(/<tr class="is-viewer">\s*<td class="rank">1<\/td>/);
  });

  it('offers the viewer a comparison with the person they look at', async () => {
    const res = await t.http().get('/user/ben').set('x-test-viewer', 'ann').expect(200);
    expect(res.text).toContain('href="/diff/ann/ben">Compare with me');
  });
});
