import { join } from 'node:path';
import { createTestApp, type TestApp } from '../support/test-app';
import { seedDemo } from '../../src/demo/demo-seeder';
import { AwardsService } from '../../src/modules/awards/awards.service';
import { BadgesService } from '../../src/modules/badges/badges.service';
import { IssuersService } from '../../src/modules/badges/issuers.service';
import { SeriesService } from '../../src/modules/badges/series.service';
import { UsersService } from '../../src/modules/users/users.service';

describe('demo collection', () => {
  let t: TestApp;
  afterAll(() => t?.close());

  it('loads badges, series, people and awards once, and changes nothing the second time', async () => {
    t = await createTestApp();
    const services = {
      ds: t.dataSource,
      issuers: t.get(IssuersService),
      badges: t.get(BadgesService),
      series: t.get(SeriesService),
      users: t.get(UsersService),
      awards: t.get(AwardsService),
    };
    const dir = join(__dirname, '..', '..', 'src', 'demo', 'collection');
    const first = await seedDemo(dir, services);
    expect(first).toMatchObject({ seeded: true, badges: 13, people: 40 });
    expect(first.awards).toBeGreaterThan(100);
    const second = await seedDemo(dir, services);
    expect(second.seeded).toBe(false);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM assertions`);
    expect(n).toBe(first.awards);

    const ladder = await t.http().get('/api/v1/series/update-tester').expect(200);
    expect(ladder.body.milestones.map((m: { badge: { id: string } }) => m.badge.id)).toEqual([
      'first-steps-tester',
      'steady-tester',
      'seasoned-tester',
      'tireless-tester',
    ]);
    // Everyone who holds a later step holds the earlier ones.
    const [{ gaps }] = await t.dataSource.query(`
      SELECT count(*)::int AS gaps FROM assertions a
       WHERE a.badge_id = 'steady-tester'
         AND NOT EXISTS (SELECT 1 FROM assertions b WHERE b.person_id = a.person_id AND b.badge_id = 'first-steps-tester')`);
    expect(gaps).toBe(0);
    // Every leaderboard period has someone to show.
    for (const period of ['all', 'year', 'month', 'week']) {
      const board = await t.http().get(`/api/v1/leaderboard?period=${period}`).expect(200);
      expect(board.body.entries.length).toBeGreaterThan(0);
    }
    // The art is served under Tahrir's /pngs/ URLs.
    const art = await t.http().get('/pngs/steady-tester.svg').expect(200);
    expect(art.headers['content-type']).toContain('image/svg+xml');
  });
});
