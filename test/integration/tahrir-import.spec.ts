import { Client } from 'pg';
import { hashRecipient } from '../../src/modules/awards/recipient';
import { AwardsService } from '../../src/modules/awards/awards.service';
import { BadgesService } from '../../src/modules/badges/badges.service';
import { normalizeTags } from '../../src/modules/badges/tags';
import { ImportConflictError } from '../../src/modules/tahrir-import/tahrir-import.errors';
import { TahrirVerifyService } from '../../src/modules/tahrir-import/tahrir-verify.service';
import { RankingService } from '../../src/modules/users/ranking.service';
import { UsersService } from '../../src/modules/users/users.service';
import {
  applyChanges,
  createTahrirSource,
  EVERY_KIND,
  type TahrirSource,
} from '../support/tahrir-source';
import {
  derivedFigures,
  onSource,
  runImport,
  targetFingerprint,
  verifier,
} from '../support/tahrir-import';
import { createTestApp, type TestApp } from '../support/test-app';

const SIZE = { persons: 400, badges: 25, assertions: 3_000 };

/** Tahrir's ranking: sort everyone by badges held, ties share a rank (1, 1, 3). */
function tahrirRanks(counts: Map<number, number>): Map<number, number> {
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const ranks = new Map<number, number>();
  let rank = 0;
  let prev: number | null = null;
  sorted.forEach(([id, n], i) => {
    if (n !== prev) rank = i + 1;
    prev = n;
    ranks.set(id, rank);
  });
  return ranks;
}

describe('accolades import tahrir', () => {
  let t: TestApp | undefined;
  let source: TahrirSource | undefined;

  afterEach(async () => {
    await t?.close();
    await source?.drop();
    t = source = undefined;
  });

  it('imports a full snapshot with ids, salts and hashes unchanged and Tahrir quirks handled', async () => {
    source = await createTahrirSource(SIZE);
    // Quirks with known values, to check each conversion.
    await onSource(
      source.url,
      `INSERT INTO badges (id, name, image, description, criteria, issuer_id, created_on, tags)
       VALUES ('quirky', 'Quirky', 'quirky.png', $1, 'https://pagure.io/fedora-badges/issue/7', 1,
               '2014-03-02 23:30:00', ' QA , Testing,,qa,')`,
      ['d'.repeat(128)],
    );
    await onSource(
      source.url,
      `INSERT INTO persons (id, email, nickname, created_on, opt_out)
       VALUES (9001, 'nonick@fedoraproject.org', NULL, '2015-01-01 00:00:00', false)`,
    );
    await onSource(
      source.url,
      `INSERT INTO assertions (id, badge_id, person_id, salt, issued_on, issued_for, recipient)
       VALUES ('quirky -> 9001', 'quirky', 9001, 'salt-9001', '2019-05-01 10:00:00', $1,
               encode(sha256(convert_to('nonick@fedoraproject.org' || 'salt-9001', 'UTF8')), 'hex'))`,
      ['https://example.org/' + 'x'.repeat(236)],
    );
    t = await createTestApp();

    const summary = await runImport(t, source.url);
    expect(summary.mode).toBe('full');
    // Its connection goes back to the service's pool as it was: commits wait for the disk.
    expect(await t.dataSource.query('SHOW synchronous_commit')).toEqual([
      { synchronous_commit: 'on' },
    ]);
    expect(summary.revision).toBe('51261da641fb');

    // Every id unchanged: badges, persons, assertions (minus the reported skips).
    // Sorted here: the two databases may collate differently.
    const ids = async (sql: string, on: 'source' | 'target'): Promise<string[]> =>
      (on === 'source' ? await onSource(source!.url, sql) : await t!.dataSource.query(sql))
        .map((r: { id: string }) => String(r.id))
        .sort();
    expect(await ids(`SELECT id FROM badges ORDER BY id`, 'target')).toEqual(
      await ids(`SELECT id FROM badges ORDER BY id`, 'source'),
    );
    expect(await ids(`SELECT id FROM persons ORDER BY id`, 'target')).toEqual(
      await ids(`SELECT id FROM persons ORDER BY id`, 'source'),
    );
    const skipped: { key: string; status: string; detail: string }[] = await t.dataSource.query(
      `SELECT source_key AS key, status, detail FROM tahrir_import_rows
        WHERE source_table = 'assertions' AND status <> 'imported' ORDER BY 1`,
    );
    const skippedKeys = new Set(skipped.map((s) => s.key));
    const sourceAssertions = await ids(`SELECT id FROM assertions ORDER BY id`, 'source');
    expect(await ids(`SELECT id FROM assertions ORDER BY id`, 'target')).toEqual(
      sourceAssertions.filter((id) => !skippedKeys.has(id)),
    );

    // Awards of deleted badges and persons: skipped and reported, exactly those.
    const orphans = await onSource<{ id: string }>(
      source.url,
      `SELECT a.id FROM assertions a
        WHERE NOT EXISTS (SELECT 1 FROM badges b WHERE b.id = a.badge_id)
           OR NOT EXISTS (SELECT 1 FROM persons p WHERE p.id = a.person_id) ORDER BY 1`,
    );
    expect(orphans.length).toBeGreaterThan(5);
    expect(
      skipped
        .filter((s) => s.status === 'orphan')
        .map((s) => s.key)
        .sort(),
    ).toEqual(orphans.map((o) => o.id).sort());
    expect(skipped.find((s) => s.status === 'orphan')!.detail).toMatch(/not found/);
    // Tahrir's duplicated awards (same badge and person twice): imported once.
    const dups = await onSource<{ n: number }>(
      source.url,
      `SELECT (count(*) - count(DISTINCT (badge_id, person_id)))::int AS n FROM assertions a
        WHERE EXISTS (SELECT 1 FROM badges b WHERE b.id = a.badge_id)
          AND EXISTS (SELECT 1 FROM persons p WHERE p.id = a.person_id)`,
    );
    expect(dups[0].n).toBeGreaterThan(0);
    expect(skipped.filter((s) => s.status === 'duplicate')).toHaveLength(dups[0].n);
    const reported = summary.skipped.filter((s) => s.table === 'assertions');
    expect(reported.length).toBeGreaterThan(0);
    for (const r of reported) expect(skippedKeys.has(r.key)).toBe(true);

    // Salts and recipient hashes unchanged; Open Badges recipients still verify.
    const sample = `SELECT a.id, a.salt, a.recipient, p.email FROM assertions a
      JOIN persons p ON p.id = a.person_id JOIN badges b ON b.id = a.badge_id
      WHERE a.person_id = 1 ORDER BY a.id`;
    const dstRows = await t.dataSource.query(sample);
    expect(dstRows.length).toBeGreaterThan(0);
    expect(dstRows).toEqual(await onSource(source.url, sample));
    const dst = dstRows[0];
    expect(hashRecipient(dst.email, dst.salt)).toBe(dst.recipient);
    const [{ failing }] = await t.dataSource.query(
      `SELECT count(*)::int AS failing FROM assertions a JOIN persons p ON p.id = a.person_id
        WHERE a.recipient <> encode(sha256(convert_to(p.email || a.salt, 'UTF8')), 'hex')`,
    );
    expect(failing).toBe(0);

    // Naive timestamps taken as UTC, tags split, long values kept, no nickname kept.
    const [quirky] = await t.dataSource.query(
      `SELECT b.tags, b.description, b.created_on, a.issued_on, a.issued_for, p.nickname, p.email
         FROM badges b JOIN assertions a ON a.badge_id = b.id JOIN persons p ON p.id = a.person_id
        WHERE b.id = 'quirky'`,
    );
    expect(quirky.tags).toEqual(['qa', 'testing']);
    expect(quirky.tags).toEqual(normalizeTags(' QA , Testing,,qa,'));
    expect(quirky.description).toBe('d'.repeat(128));
    expect(new Date(quirky.created_on).toISOString()).toBe('2014-03-02T23:30:00.000Z');
    expect(new Date(quirky.issued_on).toISOString()).toBe('2019-05-01T10:00:00.000Z');
    expect(quirky.issued_for).toHaveLength(256);
    expect(quirky.nickname).toBeNull();
    expect(quirky.email).toBe('nonick@fedoraproject.org');
    const tagPairs = await onSource<{ id: string; tags: string | null }>(
      source.url,
      `SELECT id, tags FROM badges ORDER BY id`,
    );
    const imported: { id: string; tags: string[] }[] = await t.dataSource.query(
      `SELECT id, tags FROM badges ORDER BY id`,
    );
    expect(imported).toEqual(tagPairs.map((b) => ({ id: b.id, tags: normalizeTags(b.tags) })));
    const [{ trailing }] = await onSource<{ trailing: number }>(
      source.url,
      `SELECT count(*)::int AS trailing FROM badges WHERE tags LIKE '%,'`,
    );
    expect(trailing).toBeGreaterThan(0);

    // The other tables, with Tahrir's own duplicates skipped.
    const count = async (table: string) =>
      (await t!.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
    const srcCount = async (table: string) =>
      (await onSource<{ n: number }>(source!.url, `SELECT count(*)::int AS n FROM ${table}`))[0].n;
    expect(await count('teams')).toBe(await srcCount('team'));
    expect(await count('series')).toBe(await srcCount('series'));
    expect(await count('milestones')).toBe((await srcCount('milestone')) - 1);
    expect(await count('authorizations')).toBe((await srcCount('authorizations')) - 1);
    expect(await count('invitations')).toBe(await srcCount('invitations'));
    expect(await count('current_values')).toBe(await srcCount('current_values'));
    expect(await count('issuers')).toBe(await srcCount('issuers'));
    const [series] = await t.dataSource.query(
      `SELECT tags, team_id FROM series WHERE id = 'series-2'`,
    );
    expect(series).toEqual({ tags: ['ladder', 'series2'], team_id: 'design' });

    // Ranks recomputed (ties share a rank), and the derived figures are what a full
    // recomputation gives.
    const counts = new Map<number, number>();
    for (const r of await onSource<{ id: number; n: number }>(
      source.url,
      `SELECT p.id, count(DISTINCT a.badge_id)::int AS n FROM persons p
         JOIN assertions a ON a.person_id = p.id JOIN badges b ON b.id = a.badge_id
        WHERE NOT p.opt_out GROUP BY p.id`,
    )) {
      counts.set(r.id, r.n);
    }
    const expected = tahrirRanks(counts);
    const ranking = t.get(RankingService);
    for (const [id, n] of [...counts.entries()].slice(0, 60)) {
      expect([id, await ranking.rankForCount(n)]).toEqual([id, expected.get(id)]);
    }
    const kept = await derivedFigures(t.dataSource);
    await t.dataSource.query('SELECT accolades_rebuild_derived()');
    expect(await derivedFigures(t.dataSource)).toEqual(kept);
    expect(kept.tallies.length).toBeGreaterThan(100);

    // Old URLs resolve; the profile shows the rank.
    await t.http().get('/api/v1/badges/quirky').expect(200);
    const top = [...expected.entries()].find(([, r]) => r === 1)![0];
    const [{ nickname }] = await t.dataSource.query(`SELECT nickname FROM persons WHERE id = $1`, [
      top,
    ]);
    if (nickname) {
      const profile = await t.http().get(`/api/v1/users/${nickname}`).expect(200);
      expect(profile.body.rank).toBe(1);
    }

    // Persons created in Accolades from now on never take an id Tahrir may hand out.
    const [{ max }] = await onSource<{ max: number }>(
      source.url,
      `SELECT max(id) AS max FROM persons`,
    );
    const created = await t.get(UsersService).create({ nickname: 'first-login' });
    expect(created.id).toBeGreaterThan(max + 999_999);
    expect(summary.sequences.persons).toBe(max + 1_000_001);

    const report = await verifier(t).run(source.url);
    expect(report.ok).toBe(true);
    expect(report.recipients.target).toBe(report.recipients.source);
    expect(report.badgeHolders.compared).toBeGreaterThan(20);
  });

  it('catches up with every kind of change, then a second run changes nothing', async () => {
    source = await createTahrirSource(SIZE);
    t = await createTestApp();
    // Triggers off and a rebuild for the snapshot (the large-load path), on afterwards.
    // Every table by bucket, as large tables go (small ones are otherwise read whole).
    const opts = { wholeTableRows: 0 };
    const first = await runImport(t, source.url, { ...opts, bulkThreshold: 100, batchSize: 500 });
    expect(first.bulkTables).toEqual(['persons', 'assertions']);
    expect(first.derivedRebuilt).toBe(true);

    const made = await applyChanges(source.url, EVERY_KIND, 11);
    for (const [kind, n] of Object.entries(EVERY_KIND)) {
      expect([kind, made[kind as keyof typeof made]]).toEqual([kind, n]);
    }
    // Remember a few rows to look at afterwards.
    const [flipped] = await onSource<{ id: number; opt_out: boolean }>(
      source.url,
      `SELECT id, opt_out FROM persons WHERE id <= 400 AND opt_out <> (id % 50 = 0) ORDER BY id LIMIT 1`,
    );
    const [edited] = await onSource<{ id: string; description: string; tags: string }>(
      source.url,
      `SELECT id, description, tags FROM badges WHERE description LIKE 'Edited%' ORDER BY id LIMIT 1`,
    );

    const second = await runImport(t, source.url, opts);
    expect(second.mode).toBe('incremental');
    expect(second.bulkTables).toEqual([]);
    const by = Object.fromEntries(second.tables.map((x) => [x.table, x]));
    expect(by.persons.inserted).toBe(EVERY_KIND.newPersons);
    // (A person or badge may be both edited and deleted by the mix.)
    expect(by.persons.updated).toBeGreaterThanOrEqual(
      EVERY_KIND.optOutFlips - EVERY_KIND.deletedPersons,
    );
    expect(by.persons.deleted).toBe(EVERY_KIND.deletedPersons);
    expect(by.badges.inserted).toBe(EVERY_KIND.newBadges);
    expect(by.badges.updated).toBeGreaterThanOrEqual(
      EVERY_KIND.editedBadges - EVERY_KIND.deletedBadges,
    );
    expect(by.badges.deleted).toBe(EVERY_KIND.deletedBadges);
    expect(by.assertions.inserted).toBeGreaterThanOrEqual(EVERY_KIND.newAssertions);
    expect(by.assertions.updated).toBeGreaterThan(0);
    expect(by.assertions.deleted).toBeGreaterThanOrEqual(EVERY_KIND.deletedAssertions - 5);
    expect(by.milestone.updated).toBeGreaterThan(0);
    expect(by.current_values.inserted + by.current_values.updated).toBeGreaterThan(0);
    expect(by.invitations.inserted).toBe(EVERY_KIND.invitations);

    const [person] = await t.dataSource.query(`SELECT opt_out FROM persons WHERE id = $1`, [
      flipped.id,
    ]);
    expect(person.opt_out).toBe(flipped.opt_out);
    const [badge] = await t.dataSource.query(`SELECT description, tags FROM badges WHERE id = $1`, [
      edited.id,
    ]);
    expect(badge).toEqual({ description: edited.description, tags: normalizeTags(edited.tags) });
    // Triggers kept the derived figures through the catch-up.
    const kept = await derivedFigures(t.dataSource);
    await t.dataSource.query('SELECT accolades_rebuild_derived()');
    expect(await derivedFigures(t.dataSource)).toEqual(kept);
    expect((await verifier(t).run(source.url)).ok).toBe(true);

    // Idempotent: nothing new in Tahrir, nothing written.
    const before = await targetFingerprint(t.dataSource);
    const third = await runImport(t, source.url, opts);
    expect(third.totals).toEqual({
      read: third.totals.read,
      inserted: 0,
      updated: 0,
      deleted: 0,
      skipped: 0,
      kept: 0,
    });
    expect(third.skipped).toEqual([]);
    expect(await targetFingerprint(t.dataSource)).toEqual(before);

    // A few new awards: only their buckets are read again (and the skipped rows, retried).
    await applyChanges(source.url, { newAssertions: 3 }, 14);
    const fourth = await runImport(t, source.url, opts);
    const assertions = fourth.tables.find((x) => x.table === 'assertions')!;
    const skippedSoFar = assertions.skippedTotal.orphan + assertions.skippedTotal.duplicate;
    expect(assertions.inserted).toBe(3);
    expect(assertions.read).toBeLessThanOrEqual(skippedSoFar + 3 * 40);
    expect(fourth.tables.find((x) => x.table === 'persons')!.read).toBe(0);
  });

  it('never overwrites what was created or changed in Accolades', async () => {
    source = await createTahrirSource(SIZE);
    t = await createTestApp();
    await runImport(t, source.url);
    const users = t.get(UsersService);
    const awards = t.get(AwardsService);

    // A person edits their profile in Accolades; Tahrir changes it too: Accolades wins.
    await t.dataSource.query(`UPDATE persons SET bio = 'Written in Accolades' WHERE id = 3`);
    await onSource(source.url, `UPDATE persons SET bio = 'Written in Tahrir' WHERE id = 3`);
    // Accolades awards a badge that Tahrir then awards too: Accolades' award stays.
    const [{ nickname: holder }] = await t.dataSource.query(
      `SELECT nickname FROM persons WHERE id = 4`,
    );
    const [{ id: badgeId }] = await t.dataSource.query(
      `SELECT b.id FROM badges b WHERE NOT EXISTS (
         SELECT 1 FROM assertions a WHERE a.badge_id = b.id AND a.person_id = 4) ORDER BY b.id LIMIT 1`,
    );
    const local = await awards.grant({ badgeId, nickname: holder });
    await onSource(
      source.url,
      `INSERT INTO assertions (id, badge_id, person_id, salt, issued_on, recipient)
       VALUES ($1 || ' -> 4', $1, 4, 'tahrir-salt', localtimestamp, 'r')`,
      [badgeId],
    );
    // A badge awarded in Accolades is deleted in Tahrir: it stays.
    const [{ nickname: other }] = await t.dataSource.query(
      `SELECT p.nickname FROM persons p
        WHERE p.nickname IS NOT NULL AND NOT EXISTS (
          SELECT 1 FROM assertions a WHERE a.person_id = p.id AND a.badge_id = 'badge-name-25')
        ORDER BY p.id LIMIT 1`,
    );
    await awards.grant({ badgeId: 'badge-name-25', nickname: other });
    for (const table of [
      'assertions',
      'current_values',
      'authorizations',
      'invitations',
      'milestone',
    ]) {
      await onSource(source.url, `DELETE FROM ${table} WHERE badge_id = 'badge-name-25'`);
    }
    await onSource(source.url, `DELETE FROM badges WHERE id = 'badge-name-25'`);
    // A person who logs in to Accolades first (before Tahrir knows them).
    const firstLogin = await users.create({ nickname: 'newcomer' });

    const run = await runImport(t, source.url);
    const [p3] = await t.dataSource.query(`SELECT bio FROM persons WHERE id = 3`);
    expect(p3.bio).toBe('Written in Accolades');
    const [held] = await t.dataSource.query(
      `SELECT id, salt FROM assertions WHERE badge_id = $1 AND person_id = 4`,
      [badgeId],
    );
    expect(held).toEqual({ id: local.assertion.id, salt: local.assertion.salt });
    expect(await t.get(BadgesService).get('badge-name-25')).toBeTruthy();
    const [{ n: otherAwards }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM assertions WHERE badge_id = 'badge-name-25'`,
    );
    expect(otherAwards).toBe(1);
    expect((await users.findByNickname('newcomer'))!.id).toBe(firstLogin.id);
    expect(run.totals.kept).toBeGreaterThanOrEqual(2);
    const reasons = run.skipped.map((s) => `${s.table} ${s.status} ${s.detail}`).join('\n');
    expect(reasons).toMatch(/persons local changed in Accolades/);
    expect(reasons).toMatch(/assertions local held in Accolades already/);
    expect(reasons).toMatch(/badges kept kept: assertions created in Accolades refer to it/);

    // Tahrir keeps growing: its new persons never collide with Accolades' own.
    await applyChanges(source.url, { newPersons: 5 }, 12);
    const next = await runImport(t, source.url);
    expect(next.tables.find((x) => x.table === 'persons')!.inserted).toBe(5);
  });

  it('stops on data created in Accolades that clashes with Tahrir, writing nothing', async () => {
    source = await createTahrirSource(SIZE);
    t = await createTestApp();
    // A nickname and an email Tahrir uses, taken in Accolades before the first import.
    await t.get(UsersService).create({ nickname: 'user5', email: 'someone@example.org' });
    await t.get(UsersService).create({ nickname: 'somebody', email: 'user7@fedoraproject.org' });
    const before = await targetFingerprint(t.dataSource);
    const err = await runImport(t, source.url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportConflictError);
    const conflict = err as ImportConflictError;
    expect(conflict.code).toBe('IMPORT.CONFLICT');
    const text = conflict.conflicts.map((c) => `${c.table} ${c.key}: ${c.reason}`).join('\n');
    expect(text).toMatch(/persons 5: nickname "user5" belongs to person \d+ created in Accolades/);
    expect(text).toMatch(/persons 7: email "user7@fedoraproject.org" belongs to person/);
    expect(conflict.message).toMatch(/nothing was written/);
    expect(await targetFingerprint(t.dataSource)).toEqual(before);
    const [run] = await t.dataSource.query(
      `SELECT status FROM tahrir_import_runs ORDER BY id DESC LIMIT 1`,
    );
    expect(run.status).toBe('failed');

    // Once the clashing rows are gone, the import goes through.
    await t.dataSource.query(`DELETE FROM persons WHERE nickname IN ('user5', 'somebody')`);
    await runImport(t, source.url);

    // A catch-up run that meets a clash writes none of its other changes either.
    await t.get(UsersService).create({ nickname: 'new-s13-1' });
    await applyChanges(source.url, { newPersons: 2, optOutFlips: 5, newAssertions: 5 }, 13);
    const quiet = await targetFingerprint(t.dataSource);
    await expect(runImport(t, source.url)).rejects.toThrow(/nickname "new-s13-1" belongs/);
    expect(await targetFingerprint(t.dataSource)).toEqual(quiet);
  });

  it('refuses an unreachable source and a wrong schema version, writing nothing', async () => {
    t = await createTestApp();
    const before = await targetFingerprint(t.dataSource);
    await expect(runImport(t, 'postgres://postgres@127.0.0.1:1/tahrir')).rejects.toMatchObject({
      code: 'IMPORT.SOURCE_UNREACHABLE',
    });
    source = await createTahrirSource({ persons: 20, badges: 5, assertions: 40 });
    // The revision that moved tags to their own tables.
    await onSource(source.url, `UPDATE alembic_version SET version_num = '1013e1694fa2'`);
    await expect(runImport(t, source.url)).rejects.toMatchObject({
      code: 'IMPORT.SCHEMA_VERSION',
      message: expect.stringContaining('1013e1694fa2'),
    });
    await onSource(source.url, `DROP TABLE alembic_version`);
    await expect(runImport(t, source.url)).rejects.toMatchObject({ code: 'IMPORT.SCHEMA_VERSION' });
    // The right revision, but a column the import reads is gone (a dropped column stays in
    // the catalog, marked dropped).
    await onSource(source.url, `CREATE TABLE alembic_version (version_num varchar(32) NOT NULL)`);
    await onSource(source.url, `INSERT INTO alembic_version VALUES ('51261da641fb')`);
    await onSource(source.url, `ALTER TABLE persons DROP COLUMN website`);
    await expect(runImport(t, source.url)).rejects.toMatchObject({
      code: 'IMPORT.SCHEMA_MISMATCH',
      message: 'The Tahrir database lacks what the import reads: persons.website.',
    });
    expect(await targetFingerprint(t.dataSource)).toEqual(before);
  });

  it('resumes after a run that failed in the middle, leaving only whole batches', async () => {
    source = await createTahrirSource(SIZE);
    t = await createTestApp();
    // A batch that cannot be written (a constraint the target rejects it with), late
    // enough that earlier batches have committed.
    const [{ id: poison }] = await onSource<{ id: string }>(
      source.url,
      `SELECT id FROM assertions WHERE hashtext(id) & 255 > 200 ORDER BY id LIMIT 1`,
    );
    await t.dataSource.query(
      `ALTER TABLE assertions ADD CONSTRAINT import_test_poison CHECK (id <> '${poison}')`,
    );
    const opts = { batchSize: 300, wholeTableRows: 0 };
    await expect(runImport(t, source.url, opts)).rejects.toThrow(/import_test_poison/);
    const [partial] = await t.dataSource.query(`
      SELECT (SELECT count(*) FROM assertions)::int AS rows,
             (SELECT count(*) FROM tahrir_import_rows WHERE source_table = 'assertions' AND status = 'imported')::int AS recorded,
             (SELECT count(*) FROM tahrir_import_rows r WHERE r.source_table = 'assertions' AND r.status = 'imported'
                AND NOT EXISTS (SELECT 1 FROM assertions a WHERE a.id = r.source_key))::int AS unbacked`);
    expect(partial.rows).toBeGreaterThan(0);
    expect(partial.recorded).toBe(partial.rows);
    expect(partial.unbacked).toBe(0);
    const [{ total }] = await onSource<{ total: number }>(
      source.url,
      `SELECT count(*)::int AS total FROM assertions`,
    );
    expect(partial.rows).toBeLessThan(total - 100);

    await t.dataSource.query(`ALTER TABLE assertions DROP CONSTRAINT import_test_poison`);
    const resumed = await runImport(t, source.url, opts);
    const assertions = resumed.tables.find((x) => x.table === 'assertions')!;
    expect(assertions.read).toBeLessThan(total);
    expect(assertions.inserted).toBe(
      total - partial.rows - assertions.skippedTotal.orphan - assertions.skippedTotal.duplicate,
    );
    expect((await verifier(t).run(source.url)).ok).toBe(true);
    const kept = await derivedFigures(t.dataSource);
    await t.dataSource.query('SELECT accolades_rebuild_derived()');
    expect(await derivedFigures(t.dataSource)).toEqual(kept);
  });

  it('rolls a failed bulk load back whole and rebuilds the derived figures on the rerun', async () => {
    source = await createTahrirSource(SIZE);
    t = await createTestApp();
    const [{ id: poison }] = await onSource<{ id: string }>(
      source.url,
      `SELECT a.id FROM assertions a JOIN badges b ON b.id = a.badge_id JOIN persons p ON p.id = a.person_id
        WHERE a.id LIKE '% -> %' ORDER BY a.id DESC LIMIT 1`,
    );
    await t.dataSource.query(
      `ALTER TABLE assertions ADD CONSTRAINT import_test_poison CHECK (id <> '${poison}')`,
    );
    const opts = { bulkThreshold: 100 };
    await expect(runImport(t, source.url, opts)).rejects.toThrow(/import_test_poison/);
    // Persons went in (triggers off: their figures are stale), the awards not at all.
    const [state] = await t.dataSource.query(`
      SELECT (SELECT count(*) FROM persons)::int AS persons,
             (SELECT count(*) FROM assertions)::int AS assertions,
             (SELECT count(*) FROM tahrir_import_rows WHERE source_table = 'assertions')::int AS recorded,
             (SELECT bool_or(derived_stale) FROM tahrir_import_tables) AS stale`);
    expect(state).toMatchObject({ assertions: 0, recorded: 0, stale: true });
    expect(state.persons).toBeGreaterThan(300);
    // The secondary indexes and foreign keys dropped for the load are back.
    const [{ indexes, fks }] = await t.dataSource.query(`
      SELECT (SELECT count(*) FROM pg_indexes WHERE tablename = 'assertions')::int AS indexes,
             (SELECT count(*) FROM pg_constraint WHERE conrelid = 'assertions'::regclass AND contype = 'f')::int AS fks`);
    expect({ indexes, fks }).toEqual({ indexes: 5, fks: 2 });

    await t.dataSource.query(`ALTER TABLE assertions DROP CONSTRAINT import_test_poison`);
    const rerun = await runImport(t, source.url, opts);
    expect(rerun.derivedRebuilt).toBe(true);
    expect(rerun.tables.find((x) => x.table === 'persons')!.inserted).toBe(0);
    const [{ stale }] = await t.dataSource.query(
      `SELECT bool_or(derived_stale) AS stale FROM tahrir_import_tables`,
    );
    expect(stale).toBe(false);
    const kept = await derivedFigures(t.dataSource);
    await t.dataSource.query('SELECT accolades_rebuild_derived()');
    expect(await derivedFigures(t.dataSource)).toEqual(kept);
    expect((await verifier(t).run(source.url)).ok).toBe(true);
  });

  it('verification reports differences with their place', async () => {
    source = await createTahrirSource({ persons: 120, badges: 10, assertions: 600 });
    t = await createTestApp();
    await runImport(t, source.url);
    expect((await verifier(t).run(source.url)).ok).toBe(true);
    if (t.db.kind === 'postgres') {
      // Nothing for the server to warn about either (a ROLLBACK after the COMMIT once did).
      const notices: string[] = [];
      const own = new Client({ connectionString: t.db.url! });
      own.on('notice', (n) => notices.push(String(n.message)));
      await own.connect();
      const verify = new TahrirVerifyService(
        async () => ({ client: own, release: async () => undefined }),
        {
          canCopyIn: true,
        },
      );
      expect((await verify.run(source.url)).ok).toBe(true);
      await own.end();
      expect(notices).toEqual([]);
    }
    // Tahrir moves on, and an award disappears from Accolades behind the import's back.
    await onSource(source.url, `UPDATE persons SET email = 'changed@example.org' WHERE id = 2`);
    const [{ id: gone, badge_id: badge, person_id: person }] = await t.dataSource.query(
      `SELECT id, badge_id, person_id FROM assertions ORDER BY id LIMIT 1`,
    );
    await t.dataSource.query(`DELETE FROM assertions WHERE id = $1`, [gone]);
    const report = await verifier(t).run(source.url);
    expect(report.ok).toBe(false);
    const persons = report.tables.find((x) => x.table === 'persons')!;
    expect(persons.ok).toBe(false);
    expect(persons.checksum.source).not.toBe(persons.checksum.target);
    const assertions = report.tables.find((x) => x.table === 'assertions')!;
    expect(assertions.missing).toBe(1);
    expect(report.badgeHolders.mismatches).toContainEqual(
      expect.objectContaining({ key: badge, target: expect.any(Number) }),
    );
    expect(report.personBadges.mismatches).toContainEqual(
      expect.objectContaining({ key: String(person) }),
    );
    expect(report.assertionKeys.ok).toBe(false);
  });
});
