import { Client } from 'pg';
import { ConcurrentChangeError } from '../../src/database/transaction-retry';
import { AwardsService } from '../../src/modules/awards/awards.service';
import { hashRecipient } from '../../src/modules/awards/recipient';
import { BadgesService } from '../../src/modules/badges/badges.service';
import { UsersService } from '../../src/modules/users/users.service';
import { award, makeBadge, makeIssuer, makePerson } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';
import { testDbKind } from '../support/test-database';

/**
 * The rules write the awards of a transaction together (AwardsService.recordAwards): one
 * statement for all of them, figures and ranks moved once, and a rollback to run again when
 * another replica made one of them meanwhile.
 */
describe('awards written together', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('writes every award, with the same figures as one award at a time', async () => {
    const issuer = await makeIssuer(t);
    const [b1, b2] = [
      await makeBadge(t, { name: 'Batch One', issuerId: issuer.id }),
      await makeBadge(t, { name: 'Batch Two', issuerId: issuer.id }),
    ];
    const ann = await makePerson(t, 'batch-ann');
    const bob = await makePerson(t, 'batch-bob');
    await makePerson(t, 'batch-cyd');
    await award(t, b1.id, 'batch-cyd');
    const awards = t.get(AwardsService);
    const badges = t.get(BadgesService);
    const at = new Date('2025-03-04T05:06:07Z');
    await t.dataSource.transaction(async (m) => {
      const one = await badges.get(b1.id, m);
      const two = await badges.get(b2.id, m);
      await awards.recordAwards(
        [
          awards.newAward(one, ann, 'https://example.org/evidence/1', at),
          awards.newAward(two, ann, null, at),
          awards.newAward(two, bob, null, at),
        ],
        m,
      );
    });

    const held = await t.dataSource.query(
      `SELECT p.nickname, a.badge_id, a.issued_on, a.issued_for, a.salt, a.recipient
         FROM assertions a JOIN persons p ON p.id = a.person_id ORDER BY 1, 2`,
    );
    expect(
      held.map((r: { nickname: string; badge_id: string }) => `${r.nickname}:${r.badge_id}`),
    ).toEqual([
      `batch-ann:${b1.id}`,
      `batch-ann:${b2.id}`,
      `batch-bob:${b2.id}`,
      `batch-cyd:${b1.id}`,
    ]);
    expect(new Date(held[0].issued_on).toISOString()).toBe(at.toISOString());
    expect(held[0].issued_for).toBe('https://example.org/evidence/1');
    expect(held[0].recipient).toBe(hashRecipient(ann.email, held[0].salt));

    const users = t.get(UsersService);
    const standing = async (nick: string) => {
      const p = (await users.findByNickname(nick))!;
      return [p.badgeCount, (await t.get(BadgesService).get(b2.id)).holdersCount];
    };
    expect(await standing('batch-ann')).toEqual([2, 2]);
    expect(await standing('batch-bob')).toEqual([1, 2]);
    // The triggers' figures equal a full recomputation.
    const before = await t.dataSource.query(
      `SELECT opted_out, badge_count, persons FROM person_levels WHERE persons <> 0 ORDER BY 1, 2`,
    );
    await t.dataSource.query(`SELECT accolades_rebuild_derived()`);
    const after = await t.dataSource.query(
      `SELECT opted_out, badge_count, persons FROM person_levels WHERE persons <> 0 ORDER BY 1, 2`,
    );
    expect(before).toEqual(after);
  });

  it('creates a person on first sight in one statement, or finds the one created meanwhile', async () => {
    const users = t.get(UsersService);
    const first = await users.createOnFirstSight('first-sight');
    expect(first.created).toBe(true);
    expect(first.person).toEqual(await users.findByNickname('first-sight'));
    expect(first.person).toMatchObject({
      email: 'first-sight@fedoraproject.org',
      optOut: false,
      badgeCount: 0,
      lastLogin: null,
    });
    expect(first.person.createdOn).toBeInstanceOf(Date);
    const again = await users.createOnFirstSight('first-sight');
    expect(again).toEqual({ person: first.person, created: false });
  });

  // Needs a second connection while the first holds its transaction: PostgreSQL only (the
  // embedded database serves one connection at a time, so no other writer can race it).
  const onPostgres = testDbKind() === 'postgres' ? it : it.skip;

  onPostgres(
    'rolls the transaction back when another connection made one of the awards meanwhile',
    async () => {
      const issuer = await makeIssuer(t);
      const badge = await makeBadge(t, { name: 'Raced', issuerId: issuer.id });
      const dee = await makePerson(t, 'batch-dee');
      const eve = await makePerson(t, 'batch-eve');
      const awards = t.get(AwardsService);
      const other = new Client({ connectionString: t.db.url! });
      await other.connect();
      try {
        const attempt = t.dataSource.transaction(async (m) => {
          const b = await t.get(BadgesService).get(badge.id, m);
          // Decided here; then another replica awards the same badge to dee and commits.
          const decided = [awards.newAward(b, eve, null), awards.newAward(b, dee, null)];
          await other.query(
            `INSERT INTO assertions (id, badge_id, person_id, salt, recipient)
           VALUES ('raced-elsewhere', $1, $2, 's', 'sha256$x')`,
            [badge.id, dee.id],
          );
          await awards.recordAwards(decided, m);
        });
        await expect(attempt).rejects.toBeInstanceOf(ConcurrentChangeError);
      } finally {
        await other.end();
      }
      // Nothing of the rolled-back transaction stayed: eve's award went with it.
      const rows = await t.dataSource.query(
        `SELECT id, person_id FROM assertions WHERE badge_id = $1 ORDER BY id`,
        [badge.id],
      );
      expect(rows).toEqual([{ id: 'raced-elsewhere', person_id: dee.id }]);
      expect((await t.get(BadgesService).get(badge.id)).holdersCount).toBe(1);
    },
  );
});
