import { DataSource } from 'typeorm';
import { award, makeBadge, makeIssuer, makePerson } from '../support/factories';
import { pick, seededRandom } from '../support/random';
import { createTestApp, type TestApp } from '../support/test-app';
import { AwardsService } from '../../src/modules/awards/awards.service';
import { BadgesService } from '../../src/modules/badges/badges.service';
import { RankingService } from '../../src/modules/users/ranking.service';
import { UsersService } from '../../src/modules/users/users.service';

/** Every figure the triggers keep, in a comparable form. */
async function snapshot(ds: DataSource) {
  const q = (sql: string) => ds.query(sql);
  return {
    persons: await q(`SELECT id, badge_count FROM persons ORDER BY id`),
    badges: await q(
      `SELECT id, holders_count, first_awarded_on, last_awarded_on FROM badges ORDER BY id`,
    ),
    levels: await q(
      `SELECT opted_out, badge_count, persons FROM person_levels WHERE persons <> 0 ORDER BY 1, 2`,
    ),
    tallies: await q(
      `SELECT period, period_start::text, person_id, awards FROM award_tallies ORDER BY 1, 2, 3`,
    ),
  };
}

/** Tahrir's ranking, computed the slow way: sort everyone, ties share the rank. */
function tahrirRanks(people: { nickname: string; count: number }[]): Map<string, number> {
  const sorted = [...people].sort((a, b) => b.count - a.count);
  const ranks = new Map<string, number>();
  let prev: number | null = null;
  let rank = 0;
  sorted.forEach((p, i) => {
    if (p.count !== prev) rank = i + 1;
    prev = p.count;
    ranks.set(p.nickname, rank);
  });
  return ranks;
}

describe('derived figures (counts, ranks, period tallies)', () => {
  let t: TestApp;
  afterAll(() => t?.close());

  it('stay equal to a full recomputation through random awards, revocations, opt-outs and deletions', async () => {
    t = await createTestApp();
    const rnd = seededRandom(20261125);
    const issuer = await makeIssuer(t);
    const badges = [];
    for (let i = 0; i < 8; i++)
      badges.push((await makeBadge(t, { name: `B${i}`, issuerId: issuer.id })).id);
    const people = [];
    for (let i = 0; i < 25; i++) people.push((await makePerson(t, `p${i}`)).nickname!);
    const awards = t.get(AwardsService);
    const users = t.get(UsersService);
    const start = Date.parse('2024-06-01T00:00:00Z');
    for (let step = 0; step < 400; step++) {
      const r = rnd();
      const nick = pick(rnd, people);
      const badge = pick(rnd, badges);
      if (r < 0.7) {
        const when = new Date(
          start + Math.floor(rnd() * 900) * 86_400_000 + Math.floor(rnd() * 86_400_000),
        );
        await awards.award({ badgeId: badge, nickname: nick, issuedOn: when });
      } else if (r < 0.85) {
        await awards.revoke(badge, nick, 'test').catch(() => undefined);
      } else if (r < 0.97) {
        const p = await users.findByNickname(nick);
        await users.setOptOut(nick, !p!.optOut);
      } else if (r < 0.985 && badges.length > 3) {
        badges.splice(badges.indexOf(badge), 1);
        await t.get(BadgesService).remove(badge);
      } else if (people.length > 5) {
        people.splice(people.indexOf(nick), 1);
        await t.dataSource.query(`DELETE FROM persons WHERE nickname = $1`, [nick]);
      }
    }
    // Bulk statements, as an import does: opt-outs flipped both ways in one UPDATE (with
    // persons whose flag stays)...
    const [{ flipping }] = await t.dataSource.query(
      `SELECT count(DISTINCT opt_out)::int AS flipping FROM persons WHERE id % 3 = 0`,
    );
    expect(flipping).toBe(2);
    const flip = `UPDATE persons SET opt_out = CASE WHEN id % 3 = 0 THEN NOT opt_out ELSE opt_out END`;
    await t.dataSource.query(flip);
    const flipped = await snapshot(t.dataSource);
    await t.dataSource.query('SELECT accolades_rebuild_derived()');
    expect(flipped).toEqual(await snapshot(t.dataSource));
    // (and back: those who came back get their tallies again)
    await t.dataSource.query(flip);
    // ...and several awards in one INSERT.
    await t.dataSource.query(
      `INSERT INTO assertions (id, badge_id, person_id, salt, recipient, issued_on)
       SELECT gen_random_uuid()::text, b.id, p.id, 's', 'r', now() - (p.id || ' days')::interval
         FROM persons p CROSS JOIN (SELECT id FROM badges ORDER BY id LIMIT 2) b
       ON CONFLICT DO NOTHING`,
    );
    await award(t, badges[0], people[0]).catch(() => undefined);

    const kept = await snapshot(t.dataSource);
    await t.dataSource.query('SELECT accolades_rebuild_derived()');
    const rebuilt = await snapshot(t.dataSource);
    expect(kept).toEqual(rebuilt);
    expect(kept.tallies.length).toBeGreaterThan(50);
    // A rebuild stores each person's tallies side by side (later changes to one person
    // then touch one or two pages, not one per tally).
    const stored: { person_id: number }[] = await t.dataSource.query(
      `SELECT person_id FROM award_tallies ORDER BY ctid`,
    );
    const ids = stored.map((r) => r.person_id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));

    // Ranks read from person_levels equal Tahrir's sort-everyone ranking.
    const visible: { nickname: string; count: number }[] = (
      await t.dataSource.query(
        `SELECT nickname, badge_count FROM persons WHERE NOT opt_out AND badge_count > 0`,
      )
    ).map((r: { nickname: string; badge_count: number }) => ({
      nickname: r.nickname,
      count: r.badge_count,
    }));
    const expected = tahrirRanks(visible);
    const ranking = t.get(RankingService);
    for (const p of visible) {
      expect([p.nickname, await ranking.rankForCount(p.count)]).toEqual([
        p.nickname,
        expected.get(p.nickname),
      ]);
    }
    const board = await ranking.leaderboard({ period: 'all', limit: 100 });
    const byRankThenName = (a: [string, number], b: [string, number]) =>
      a[1] - b[1] || a[0].localeCompare(b[0]);
    const shown = board.entries
      .map((e) => [e.nickname!, e.rank] as [string, number])
      .sort(byRankThenName);
    const want = visible
      .map((p) => [p.nickname, expected.get(p.nickname)!] as [string, number])
      .sort(byRankThenName);
    expect(shown).toEqual(want);
    // Best first, and ties broken by account age (id), as the page shows them.
    expect(board.entries.map((e) => e.badges)).toEqual(
      [...board.entries.map((e) => e.badges)].sort((a, b) => b - a),
    );
  });
});
