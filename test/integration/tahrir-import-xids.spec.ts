import { Client } from 'pg';
import {
  applyChanges,
  createTahrirSource,
  EVERY_KIND,
  type TahrirSource,
} from '../support/tahrir-source';
import { onSource, runImport, targetFingerprint, verifier } from '../support/tahrir-import';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * Catch-ups that find Tahrir's changes by transaction ids and counts (xid-changes.ts)
 * instead of hashing every row: same result as hashing, and the cases where they must
 * not be trusted.
 */
const SIZE = { persons: 400, badges: 25, assertions: 3_000 };
// Every table by bucket, as large tables go (small ones are otherwise read whole).
const BY_BUCKET = { wholeTableRows: 0 };

const by = (summary: { tables: { table: string }[] }) =>
  Object.fromEntries(summary.tables.map((x) => [x.table, x])) as Record<
    string,
    Awaited<ReturnType<typeof runImport>>['tables'][number]
  >;

/**
 * The award rows a catch-up must read: written by a transaction at or after the oldest one
 * running at the last run's snapshot. Without other sessions that is exactly the rows
 * written since; with other sessions' transactions open then (the other test project runs
 * on the same server), rows the last run saw may count again, which is what the import
 * does too.
 */
async function writtenSince(t: TestApp, url: string): Promise<{ fresh: number; total: number }> {
  const [{ xmin }] = await t.dataSource.query(
    `SELECT source_xmin::text AS xmin FROM tahrir_import_tables WHERE source_table = 'assertions'`,
  );
  const since = BigInt(xmin) % 2n ** 32n;
  const [row] = await onSource<{ fresh: number; total: number }>(
    url,
    `SELECT count(*) FILTER (WHERE age(xmin) BETWEEN 0 AND age('${since}'::xid))::int AS fresh,
            count(*)::int AS total FROM assertions`,
  );
  return row;
}

describe('accolades import tahrir: changes found by transaction ids', () => {
  const apps: TestApp[] = [];
  let source: TahrirSource | undefined;

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await source?.drop();
    source = undefined;
  });

  async function app(): Promise<TestApp> {
    const t = await createTestApp();
    apps.push(t);
    return t;
  }

  it('catches up exactly as comparing every hash does, reading only what was written', async () => {
    source = await createTahrirSource(SIZE);
    const [byXids, byHashes] = [await app(), await app()];
    for (const t of [byXids, byHashes]) await runImport(t, source.url, BY_BUCKET);

    for (const seed of [21, 22]) {
      await applyChanges(source.url, EVERY_KIND, seed);
      const freshRows = await writtenSince(byXids, source.url);
      const xids = await runImport(byXids, source.url, BY_BUCKET);
      const hashes = await runImport(byHashes, source.url, { ...BY_BUCKET, compareHashes: true });
      const x = by(xids);
      // current_values' deleted keys are looked up by Tahrir's (badge_id, person_id) key.
      for (const table of ['persons', 'assertions', 'badges', 'milestone', 'current_values']) {
        expect([table, x[table].changesBy]).toEqual([table, 'xids']);
      }
      expect(by(hashes).assertions.changesBy).toBe('hashes');
      expect(xids.totals).toEqual({ ...hashes.totals, read: xids.totals.read });
      expect(xids.skipped).toEqual(hashes.skipped);
      // Only the rows written since the last run are read, with skipped rows whose cause
      // moved (a quarter of the table or more: all of it, in one scan).
      const { fresh, total } = freshRows;
      if (fresh <= total / 4) {
        expect(x.assertions.read).toBeGreaterThanOrEqual(fresh);
        const skipped = x.assertions.skippedTotal;
        expect(x.assertions.read).toBeLessThanOrEqual(fresh + skipped.orphan + skipped.duplicate);
      } else {
        expect(x.assertions.read).toBe(total);
      }
      // Rows, provenance and bucket state alike (an edited badge's updated_on is when
      // each run wrote it).
      const [xf, hf] = [
        await targetFingerprint(byXids.dataSource),
        await targetFingerprint(byHashes.dataSource),
      ];
      expect({ ...xf, badges: null }).toEqual({ ...hf, badges: null });
      const badges = `SELECT to_jsonb(b) - 'updated_on' AS b FROM badges b ORDER BY id`;
      expect(await byXids.dataSource.query(badges)).toEqual(
        await byHashes.dataSource.query(badges),
      );
    }
    expect((await verifier(byXids).run(source.url)).ok).toBe(true);

    // Nothing written since: nothing read but the small tables, nothing changed.
    const before = await targetFingerprint(byXids.dataSource);
    const { fresh } = await writtenSince(byXids, source.url);
    const idle = await runImport(byXids, source.url, BY_BUCKET);
    expect(by(idle).assertions.read).toBe(fresh);
    expect(idle.totals).toEqual({ ...idle.totals, inserted: 0, updated: 0, deleted: 0 });
    expect(await targetFingerprint(byXids.dataSource)).toEqual(before);

    // The award a skipped duplicate repeats leaves Accolades: judged alike both ways.
    const [dup] = await byXids.dataSource.query(
      `SELECT source_key AS key, detail FROM tahrir_import_rows
        WHERE source_table = 'assertions' AND status = 'duplicate' ORDER BY source_key LIMIT 1`,
    );
    const holder = String(dup.detail).replace(/^same as /, '');
    for (const t of [byXids, byHashes]) {
      await t.dataSource.query('DELETE FROM assertions WHERE id = $1', [holder]);
    }
    const xids = await runImport(byXids, source.url, BY_BUCKET);
    const hashes = await runImport(byHashes, source.url, { ...BY_BUCKET, compareHashes: true });
    expect(xids.totals).toEqual({ ...hashes.totals, read: xids.totals.read });
    expect(by(xids).assertions.read).toBeLessThan(by(hashes).assertions.read);
    const [xf, hf] = [
      await targetFingerprint(byXids.dataSource),
      await targetFingerprint(byHashes.dataSource),
    ];
    expect({ ...xf, badges: null }).toEqual({ ...hf, badges: null });
  });

  it('reads everything on one connection when Tahrir will not share its snapshot', async () => {
    source = await createTahrirSource(SIZE);
    // A read-only role that may not call pg_export_snapshot (revoked in that database).
    const role = `tahrir_reader_${process.pid}`;
    const reader = new URL(source.url);
    reader.username = role;
    await onSource(source.url, `CREATE ROLE ${role} LOGIN`);
    try {
      await onSource(source.url, `GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`);
      await onSource(source.url, 'REVOKE EXECUTE ON FUNCTION pg_export_snapshot() FROM PUBLIC');
      await expect(onSource(reader.href, 'SELECT pg_export_snapshot()')).rejects.toThrow(
        /permission denied/,
      );
      const [shared, alone] = [await app(), await app()];
      for (const t of [shared, alone]) await runImport(t, source.url, BY_BUCKET);
      await applyChanges(source.url, EVERY_KIND, 23);
      const together = await runImport(shared, source.url, BY_BUCKET);
      const byOne = await runImport(alone, reader.href, BY_BUCKET);
      expect(byOne.totals).toEqual(together.totals);
      // (an edited badge's updated_on is when each run wrote it)
      const [af, sf] = [
        await targetFingerprint(alone.dataSource),
        await targetFingerprint(shared.dataSource),
      ];
      expect({ ...af, badges: null }).toEqual({ ...sf, badges: null });
      expect((await verifier(alone).run(source.url)).ok).toBe(true);
    } finally {
      await onSource(source.url, `DROP OWNED BY ${role}`);
      await onSource(source.url, `DROP ROLE ${role}`);
    }
  });

  it('finds a lone deletion and several in one place, frozen rows staying unread', async () => {
    source = await createTahrirSource(SIZE);
    const t = await app();
    await runImport(t, source.url, BY_BUCKET);
    const [{ buckets }] = await t.dataSource.query(
      `SELECT buckets FROM tahrir_import_tables WHERE source_table = 'assertions'`,
    );
    const imported = await t.dataSource.query(
      `SELECT r.source_key AS id FROM tahrir_import_rows r
        WHERE r.source_table = 'assertions' AND r.status = 'imported'
          AND NOT EXISTS (SELECT 1 FROM tahrir_import_rows d
                           WHERE d.source_table = 'assertions' AND d.detail = 'same as ' || r.source_key)`,
    );
    // Three imported awards of one cell (16 buckets), and one alone in another cell.
    const cells = await onSource<{ cell: number; ids: string[] }>(
      source.url,
      `SELECT (hashtext(id) & $1) >> 4 AS cell, array_agg(id ORDER BY id) AS ids
         FROM assertions WHERE id = ANY($2) GROUP BY 1 HAVING count(*) >= 3 ORDER BY 1 LIMIT 2`,
      [buckets - 1, imported.map((r: { id: string }) => r.id)],
    );
    const deleted = [...cells[0].ids.slice(0, 3), cells[1].ids[0]];
    await onSource(source.url, `DELETE FROM assertions WHERE id = ANY($1)`, [deleted]);
    // Two progress counters too (a table keyed by two columns).
    const counters: { badge_id: string; person_id: number }[] = await t.dataSource.query(
      `SELECT badge_id, person_id FROM current_values ORDER BY badge_id, person_id LIMIT 2`,
    );
    const counterKeys = [counters.map((c) => c.badge_id), counters.map((c) => c.person_id)];
    const countersLeft = `SELECT 1 FROM current_values
      WHERE (badge_id, person_id) IN (SELECT * FROM unnest($1::text[], $2::integer[]))`;
    await onSource(
      source.url,
      `DELETE FROM current_values WHERE (badge_id, person_id) IN
      (SELECT * FROM unnest($1::text[], $2::integer[]))`,
      counterKeys,
    );
    // Freezing rewrites no row's transaction id: nothing more to read.
    const { fresh } = await writtenSince(t, source.url);
    await onSource(source.url, 'VACUUM FREEZE assertions');

    const run = await runImport(t, source.url, BY_BUCKET);
    const a = by(run).assertions;
    expect(a.changesBy).toBe('xids');
    expect(a.read).toBe(fresh);
    expect(a.deleted).toBe(4);
    const left = await t.dataSource.query(`SELECT id FROM assertions WHERE id = ANY($1)`, [
      deleted,
    ]);
    expect(left).toEqual([]);
    const cv = by(run).current_values;
    expect([cv.changesBy, cv.deleted]).toEqual(['xids', 2]);
    expect(await t.dataSource.query(countersLeft, counterKeys)).toEqual([]);
    expect((await verifier(t).run(source.url)).ok).toBe(true);
  });

  it('sees rows of a transaction that was still running at the last run', async () => {
    source = await createTahrirSource(SIZE);
    const t = await app();
    await runImport(t, source.url, BY_BUCKET);
    const late = new Client({ connectionString: source.url });
    await late.connect();
    try {
      await late.query('BEGIN');
      await late.query(`
        INSERT INTO assertions (id, badge_id, person_id, salt, issued_on, issued_for, recipient)
        SELECT 'late-award', b.id, p.id, 'salt', now(), NULL, 'r'
          FROM badges b, persons p
         WHERE NOT EXISTS (SELECT 1 FROM assertions a WHERE a.badge_id = b.id AND a.person_id = p.id)
         LIMIT 1`);
      // This run's snapshot does not see the award, which commits only afterwards.
      const during = await runImport(t, source.url, BY_BUCKET);
      expect(by(during).assertions.inserted).toBe(0);
      await late.query('COMMIT');
    } finally {
      await late.end();
    }
    const after = await runImport(t, source.url, BY_BUCKET);
    expect(by(after).assertions.changesBy).toBe('xids');
    expect(by(after).assertions.inserted).toBe(1);
    const [row] = await t.dataSource.query(`SELECT id FROM assertions WHERE id = 'late-award'`);
    expect(row).toEqual({ id: 'late-award' });
  });

  it('retries a skipped award once what it waited for arrives, and only then', async () => {
    source = await createTahrirSource(SIZE);
    const t = await app();
    await runImport(t, source.url, BY_BUCKET);
    // An award of a person Tahrir does not have yet, and a second award of an existing
    // fact (same badge, same person).
    const [{ id: personId }] = await onSource<{ id: number }>(
      source.url,
      'SELECT max(id) + 1000 AS id FROM persons',
    );
    const [held] = await onSource<{ id: string; badge_id: string; person_id: number }>(
      source.url,
      'SELECT id, badge_id, person_id FROM assertions ORDER BY id LIMIT 1',
    );
    await onSource(
      source.url,
      `INSERT INTO assertions (id, badge_id, person_id, salt, issued_on, issued_for, recipient)
       VALUES ('waits-for-person', $1, $2, 's1', now(), NULL, 'r1'),
              ('second-of-a-fact', $1, $3, 's2', now(), NULL, 'r2')`,
      [held.badge_id, personId, held.person_id],
    );
    const first = await runImport(t, source.url, BY_BUCKET);
    expect(first.skipped.map((s) => [s.key, s.status, s.detail]).sort()).toEqual([
      ['second-of-a-fact', 'duplicate', `same as ${held.id}`],
      ['waits-for-person', 'orphan', `person ${personId} not found`],
    ]);
    // Nothing they wait for moved: not even read.
    await applyChanges(source.url, { newPersons: 2 }, 31);
    const { fresh } = await writtenSince(t, source.url);
    const unrelated = await runImport(t, source.url, BY_BUCKET);
    expect(unrelated.skipped).toEqual([]);
    expect(by(unrelated).assertions.read).toBe(fresh);
    expect(by(unrelated).assertions.inserted).toBe(2);

    // The person arrives; the award it duplicated is revoked.
    await onSource(
      source.url,
      `INSERT INTO persons (id, email, nickname, created_on, opt_out)
       VALUES ($1, 'late@example.org', 'late-person', now(), false)`,
      [personId],
    );
    await onSource(source.url, 'DELETE FROM assertions WHERE id = $1', [held.id]);
    const caught = await runImport(t, source.url, BY_BUCKET);
    expect(by(caught).assertions.changesBy).toBe('xids');
    const ids = await t.dataSource.query(
      `SELECT id FROM assertions WHERE id IN ('waits-for-person', 'second-of-a-fact', $1) ORDER BY id`,
      [held.id],
    );
    expect(ids.map((r: { id: string }) => r.id)).toEqual(['second-of-a-fact', 'waits-for-person']);
    expect((await verifier(t).run(source.url)).ok).toBe(true);
  });

  it('compares hashes when the ids cannot be trusted: another server, or counts that do not add up', async () => {
    source = await createTahrirSource(SIZE);
    const t = await app();
    await runImport(t, source.url, BY_BUCKET);

    // Tahrir restored elsewhere: its transaction ids mean nothing here.
    await t.dataSource.query(`UPDATE tahrir_import_tables SET source_system = 'elsewhere/1'`);
    await applyChanges(source.url, { newAssertions: 5 }, 41);
    const moved = await runImport(t, source.url, BY_BUCKET);
    expect(by(moved).assertions.changesBy).toBe('hashes');
    expect(by(moved).assertions.inserted).toBe(5);
    const [{ system }] = await t.dataSource.query(
      `SELECT DISTINCT source_system AS system FROM tahrir_import_tables`,
    );
    expect(system).not.toBe('elsewhere/1');

    // Recorded counts that disagree with Tahrir (state written by another version, a
    // hand edit): the table is compared by hash and set right, nothing is lost.
    await t.dataSource.query(`
      UPDATE tahrir_import_buckets SET rows = rows + 1
       WHERE source_table = 'assertions'
         AND bucket = (SELECT min(bucket) FROM tahrir_import_buckets WHERE source_table = 'assertions')`);
    await applyChanges(source.url, { newAssertions: 5, deletedAssertions: 3 }, 42);
    const mended = await runImport(t, source.url, BY_BUCKET);
    expect(by(mended).assertions.changesBy).toBe('hashes');
    expect((await verifier(t).run(source.url)).ok).toBe(true);
    const next = await runImport(t, source.url, BY_BUCKET);
    expect(by(next).assertions.changesBy).toBe('xids');
    expect(next.totals).toEqual({ ...next.totals, inserted: 0, updated: 0, deleted: 0 });

    // Key hashes not recorded yet (an import from before they were): deletions are still
    // found, by looking every key of their bucket up, and a hash run records them again.
    await t.dataSource.query(`UPDATE tahrir_import_buckets SET key_xor = NULL`);
    await applyChanges(source.url, { deletedAssertions: 4 }, 43);
    const unhashed = await runImport(t, source.url, BY_BUCKET);
    expect(by(unhashed).assertions.changesBy).toBe('xids');
    expect(by(unhashed).assertions.deleted).toBeGreaterThanOrEqual(4);
    await runImport(t, source.url, { ...BY_BUCKET, compareHashes: true });
    const [{ missing }] = await t.dataSource.query(
      `SELECT count(*)::int AS missing FROM tahrir_import_buckets
        WHERE source_table = 'assertions' AND key_xor IS NULL`,
    );
    expect(missing).toBe(0);
    expect((await verifier(t).run(source.url)).ok).toBe(true);
  });
});
