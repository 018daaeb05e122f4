import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { packageRoot } from '../../src/common/package-root';
import { PG_ADMIN_URL, withDatabase } from './services';

/**
 * Tahrir databases for the import tests and benchmark: the schema of tahrir-api (the SQL in
 * test/fixtures/tahrir/schema.sql) filled in SQL on the server, with Tahrir's quirks on
 * purpose:
 * - badge and series tags as one comma string, with trailing commas, spaces, repeats and
 *   upper case; some badges without tags (NULL) or with an empty string;
 * - persons without nickname, mixed-case emails, values at Tahrir's 128/140/256-character
 *   limits (with multi-byte characters);
 * - naive timestamps (Tahrir wrote the server's local time, UTC);
 * - assertions whose badge or person was deleted: the generated database drops the
 *   assertions' foreign keys (real Tahrir data holds such rows), then deletes a few persons
 *   and one badge behind their back;
 * - assertions with a non-default id (not "<badge> -> <person>") and a few duplicated
 *   awards (same badge and person under two ids); a duplicated milestone (same badge twice
 *   in a series, at two positions) and a duplicated authorization.
 */
export interface TahrirSize {
  persons: number;
  badges: number;
  /** Target number of assertions (lands within a few percent of it). */
  assertions: number;
}

export interface TahrirSource {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export const TAHRIR_REVISION = '51261da641fb';

export function tahrirSchemaSql(): string {
  return readFileSync(join(packageRoot(), 'test', 'fixtures', 'tahrir', 'schema.sql'), 'utf8');
}

/** A new database on the test PostgreSQL server with Tahrir's schema (and data, if sized). */
export async function createTahrirSource(
  size: TahrirSize | null,
  opts: { name?: string; log?: (s: string) => void } = {},
): Promise<TahrirSource> {
  const run = process.env.ACCOLADES_TEST_RUN ?? 'adhoc';
  const name = opts.name ?? `tahrir_t_${run}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(PG_ADMIN_URL, name);
  const source: TahrirSource = { name, url, drop: () => dropDatabase(name) };
  try {
    const db = new Client({ connectionString: url });
    await db.connect();
    try {
      await db.query(tahrirSchemaSql());
      if (size) await generateTahrirData(db, size, opts.log);
    } finally {
      await db.end();
    }
  } catch (err) {
    await source.drop();
    throw err;
  }
  return source;
}

export async function dropDatabase(name: string): Promise<void> {
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/**
 * Deterministic pseudo-random numbers in [0, 1) from a key, so the same size gives the same
 * database whatever the plan's row order (random() would depend on it).
 */
const RND_FUNCTION = `
  CREATE OR REPLACE FUNCTION pg_temp.rnd(k text) RETURNS double precision
  LANGUAGE sql IMMUTABLE AS $$ SELECT (hashtext(k) & 2147483647) / 2147483648.0 $$`;

/** Fills an empty Tahrir schema. Ids start at 1 and the sequences follow, as in a restore. */
export async function generateTahrirData(
  db: Client,
  size: TahrirSize,
  log: (s: string) => void = () => undefined,
): Promise<void> {
  await db.query(RND_FUNCTION);
  await db.query(`SET TimeZone = 'UTC'`);
  await db.query(`
    INSERT INTO issuers (id, origin, name, org, contact, created_on) VALUES
      (1, 'https://badges.fedoraproject.org', 'Fedora Project', 'https://fedoraproject.org', 'badges@fedoraproject.org', '2013-06-01 12:00:00'),
      (2, 'https://badges.fedoraproject.org', 'Fedora Design Team', 'https://fedoraproject.org/wiki/Design', 'design-team@lists.fedoraproject.org', '2014-02-11 09:30:00'),
      (3, 'https://badges.fedoraproject.org', 'Flock', 'https://flocktofedora.org', 'flock-staff@fedoraproject.org', '2015-08-12 08:00:00')`);
  await db.query(`SELECT setval('issuers_id_seq', 3)`);

  log('  badges');
  // Badge i is "Badge Name i" with id "badge-name-i" (Tahrir's default: lower(name), spaces
  // to dashes). Tags in every shape Tahrir stored; some values at the 128-character limit.
  await db.query(
    `INSERT INTO badges (id, name, image, stl, description, criteria, issuer_id, created_on, tags)
     SELECT 'badge-name-' || i, 'Badge Name ' || i,
            CASE WHEN i % 10 = 0 THEN 'https://badges.fedoraproject.org/pngs/badge-name-' || i || '.png'
                 ELSE 'badge-name-' || i || '.png' END,
            CASE WHEN i % 25 = 0 THEN 'badge-name-' || i || '.stl' END,
            CASE WHEN i % 9 = 0 THEN left('Awarded for the ' || i || 'th kind of contribution to Fedora – ' || repeat('ü', 200), 128)
                 ELSE 'Awarded for the ' || i || 'th kind of contribution to Fedora.' END,
            'https://pagure.io/fedora-badges/issue/' || i,
            1 + i % 3,
            timestamp '2013-06-01' + make_interval(secs => pg_temp.rnd('bc' || i) * 11 * 365 * 86400),
            CASE i % 7
              WHEN 0 THEN NULL
              WHEN 1 THEN 'community,'
              WHEN 2 THEN 'development,packaging,'
              WHEN 3 THEN ' QA , Testing,,'
              WHEN 4 THEN 'content,community,content,'
              WHEN 5 THEN ''
              ELSE 'tag' || (i % 13) || ',group' || (i % 5) || ','
            END
       FROM generate_series(1, $1::int) AS i`,
    [size.badges],
  );
  // A badge whose holders lose it when it is deleted below (its assertions stay behind).
  await db.query(`
    INSERT INTO badges (id, name, image, description, criteria, issuer_id, created_on, tags)
    VALUES ('retired-badge', 'Retired Badge', 'retired.png', 'No longer awarded.',
            'https://pagure.io/fedora-badges/issue/0', 1, '2013-07-01 10:00:00', 'retired,')`);

  await db.query(`
    INSERT INTO team (id, name, created_on) VALUES
      ('infrastructure', 'Infrastructure', '2016-09-02 20:00:00'),
      ('quality', 'Quality', '2016-09-03 10:00:00'),
      ('design', 'Design', '2016-09-04 11:00:00')`);
  const seriesCount = Math.max(1, Math.min(10, Math.floor(size.badges / 5)));
  await db.query(
    `INSERT INTO series (id, name, description, created_on, last_updated, tags, team_id)
     SELECT 'series-' || s, 'Series ' || s, 'Badges of ladder ' || s,
            timestamp '2016-09-05' + (s || ' days')::interval, timestamp '2020-01-01' + (s || ' days')::interval,
            CASE WHEN s % 2 = 0 THEN 'ladder,Series' || s || ',' END,
            (ARRAY['infrastructure', 'quality', 'design'])[1 + s % 3]
       FROM generate_series(1, $1::int) AS s`,
    [seriesCount],
  );
  // Four steps per series; the first series lists its second badge twice (positions 2 and 9).
  await db.query(
    `INSERT INTO milestone (position, badge_id, series_id)
     SELECT p, 'badge-name-' || (1 + ((s - 1) * 4 + p - 1) % $2::int), 'series-' || s
       FROM generate_series(1, $1::int) AS s, generate_series(1, 4) AS p
     ORDER BY s, p`,
    [seriesCount, size.badges],
  );
  await db.query(`INSERT INTO milestone (position, badge_id, series_id)
                  SELECT 9, badge_id, series_id FROM milestone WHERE series_id = 'series-1' AND position = 2`);

  log('  persons');
  // Every 37th person has no nickname; every 97th a mixed-case email at another domain.
  await db.query(
    `INSERT INTO persons (id, email, _avatar, nickname, website, bio, created_on, last_login, opt_out, rank)
     SELECT i,
            CASE WHEN i % 97 = 0 THEN 'Contributor.' || i || '@Example.COM' ELSE 'user' || i || '@fedoraproject.org' END,
            CASE WHEN i % 11 = 0 THEN 'https://seccdn.libravatar.org/avatar/' || md5(i::text) END,
            CASE WHEN i % 37 = 0 THEN NULL ELSE 'user' || i END,
            CASE WHEN i % 7 = 0 THEN 'https://user' || i || '.example.org/' END,
            CASE WHEN i % 5 = 0 THEN left('Contributor ' || i || ' – ' || repeat('packager, tester, writer; ', 8), 140) END,
            c.created,
            CASE WHEN i % 3 <> 0 THEN c.created + make_interval(secs => pg_temp.rnd('pl' || i) * 400 * 86400) END,
            i % 50 = 0,
            NULL
       FROM generate_series(1, $1::int) AS i
       CROSS JOIN LATERAL (SELECT timestamp '2013-06-01' + make_interval(secs => pg_temp.rnd('pc' || i) * 11 * 365 * 86400) AS created) c`,
    [size.persons],
  );
  await db.query(`SELECT setval('persons_id_seq', $1)`, [size.persons]);

  log('  assertions');
  // k badges per person, skewed (a few collectors, many with one or two); the j-th badge
  // a person earns is a popular one when j is small. Recipient = sha256(email + salt), as
  // Tahrir computed it, so Open Badges verification can be checked after the import.
  const mean = size.assertions / size.persons;
  const chunk = 25_000;
  for (let from = 1; from <= size.persons; from += chunk) {
    const to = Math.min(size.persons, from + chunk - 1);
    await db.query(
      `INSERT INTO assertions (id, badge_id, person_id, salt, issued_on, issued_for, recipient)
       SELECT CASE WHEN (p.id + j) % 331 = 0 THEN md5('legacy' || p.id || '-' || j) ELSE b.id || ' -> ' || p.id END,
              b.id, p.id, s.salt, a.issued,
              CASE WHEN (p.id + j) % 3 = 0 THEN 'https://bodhi.fedoraproject.org/updates/FEDORA-' || (2014 + (p.id + j) % 11) || '-' || left(md5(p.id || '/' || j), 10)
                   WHEN (p.id + j) % 1009 = 0 THEN left('https://pagure.io/fedora-badges/issue/' || p.id || '?' || repeat('x', 300), 256) END,
              encode(sha256(convert_to(p.email || s.salt, 'UTF8')), 'hex')
         FROM persons p
         CROSS JOIN LATERAL generate_series(
           1, least($3::int, 1 + floor(($4::float8 * 5.19 - 5) * power(pg_temp.rnd('k' || p.id), 4))::int)) AS j
         CROSS JOIN LATERAL (SELECT 'badge-name-' || (1 + (floor(j * 1.37) + p.id % 5)::int % $3::int) AS id) b
         CROSS JOIN LATERAL (SELECT md5('salt' || p.id || '-' || j) AS h) m
         CROSS JOIN LATERAL (SELECT substr(m.h, 1, 8) || '-' || substr(m.h, 9, 4) || '-4' || substr(m.h, 14, 3) || '-a' || substr(m.h, 18, 3) || '-' || substr(m.h, 21, 12) AS salt) s
         CROSS JOIN LATERAL (SELECT greatest(p.created_on, timestamp '2013-06-01' + make_interval(secs => power(pg_temp.rnd('ai' || p.id || '-' || j), 0.6) * 11 * 365 * 86400))
                                    + make_interval(secs => pg_temp.rnd('as' || p.id || '-' || j) * 86400) AS issued) a
        WHERE p.id BETWEEN $1 AND $2
       ON CONFLICT (id) DO NOTHING`,
      [from, to, size.badges, mean],
    );
    log(`    persons ${from}-${to}`);
  }

  // Tahrir's real data holds awards whose badge or person is gone: drop the foreign keys,
  // award the retired badge, then delete it and one person in 500 (keeping the rows that
  // reference them elsewhere consistent, as their own foreign keys demand).
  log('  quirks');
  await db.query(`ALTER TABLE assertions DROP CONSTRAINT assertions_badge_id_fkey`);
  await db.query(`ALTER TABLE assertions DROP CONSTRAINT assertions_person_id_fkey`);
  await db.query(`
    INSERT INTO assertions (id, badge_id, person_id, salt, issued_on, recipient)
    SELECT 'retired-badge -> ' || p.id, 'retired-badge', p.id, md5('r' || p.id), timestamp '2013-08-01' + (p.id % 300 || ' hours')::interval,
           encode(sha256(convert_to(p.email || md5('r' || p.id), 'UTF8')), 'hex')
      FROM persons p WHERE p.id % 41 = 1`);
  await db.query(`DELETE FROM badges WHERE id = 'retired-badge'`);
  // Duplicated awards: the same badge and person again under a legacy id, a day later.
  await db.query(
    `
    INSERT INTO assertions (id, badge_id, person_id, salt, issued_on, issued_for, recipient)
    SELECT md5('dup' || a.id), a.badge_id, a.person_id, a.salt, a.issued_on + interval '1 day', a.issued_for, a.recipient
      FROM assertions a WHERE a.person_id % 173 = 0 AND a.badge_id = 'badge-name-' || (1 + (1 + a.person_id % 5) % $1::int)`,
    [size.badges],
  );

  log('  authorizations, invitations, current values');
  await db.query(
    `INSERT INTO authorizations (badge_id, person_id)
     SELECT 'badge-name-' || (1 + i % $1::int), 1 + (i * 7919) % $2::int FROM generate_series(1, 20) AS i`,
    [size.badges, size.persons],
  );
  await db.query(
    `INSERT INTO authorizations (badge_id, person_id) SELECT badge_id, person_id FROM authorizations WHERE id = 1`,
  );
  await db.query(
    `INSERT INTO invitations (id, created_on, expires_on, badge_id, created_by)
     SELECT md5('invitation' || i), timestamp '2015-01-01' + (i || ' days')::interval,
            timestamp '2015-01-01' + (i + 30 || ' days')::interval, 'badge-name-' || (1 + i % $1::int), 1 + (i * 104729) % $2::int
       FROM generate_series(1, 50) AS i`,
    [size.badges, size.persons],
  );
  // Progress towards badges not held yet, for one person in 50.
  await db.query(
    `INSERT INTO current_values (badge_id, person_id, value, last_update)
     SELECT 'badge-name-' || (1 + (p.id + k * 31) % $1::int), p.id, 1 + (p.id * k) % 40,
            timestamp '2024-07-23' + make_interval(secs => pg_temp.rnd('cv' || p.id || '-' || k) * 300 * 86400)
       FROM persons p CROSS JOIN generate_series(1, 3) AS k
      WHERE p.id % 50 = 7
     ON CONFLICT DO NOTHING`,
    [size.badges],
  );
  // Persons deleted behind the assertions' back (their other rows go first, as Tahrir's
  // remaining foreign keys demand).
  const gone = `SELECT id FROM persons WHERE id % 500 = 250`;
  for (const t of ['current_values', 'authorizations']) {
    await db.query(`DELETE FROM ${t} WHERE person_id IN (${gone})`);
  }
  await db.query(`DELETE FROM invitations WHERE created_by IN (${gone})`);
  await db.query(`DELETE FROM persons WHERE id IN (${gone})`);
  await db.query('ANALYZE');
}

export interface ChangeMix {
  newPersons: number;
  /** New awards to existing persons (new persons also get one each, counted apart). */
  newAssertions: number;
  deletedAssertions: number;
  editedAssertions: number;
  optOutFlips: number;
  editedPersons: number;
  deletedPersons: number;
  editedBadges: number;
  newBadges: number;
  deletedBadges: number;
  currentValues: number;
  authorizations: number;
  invitations: number;
  milestones: number;
}

/**
 * 1,000 changes in the proportions of a few minutes of Tahrir: mostly awards and profiles
 * (60 new persons also get their first award: 60 + 360 new awards in all).
 */
export const THOUSAND_CHANGES: ChangeMix = {
  newPersons: 60,
  newAssertions: 360,
  deletedAssertions: 100,
  editedAssertions: 60,
  optOutFlips: 120,
  editedPersons: 100,
  deletedPersons: 10,
  editedBadges: 20,
  newBadges: 5,
  deletedBadges: 0,
  currentValues: 90,
  authorizations: 5,
  invitations: 5,
  milestones: 5,
};

/** Every kind of change Tahrir makes between two catch-up runs. */
export const EVERY_KIND: ChangeMix = {
  newPersons: 6,
  newAssertions: 40,
  deletedAssertions: 15,
  editedAssertions: 8,
  optOutFlips: 12,
  editedPersons: 10,
  deletedPersons: 3,
  editedBadges: 3,
  newBadges: 2,
  deletedBadges: 1,
  currentValues: 10,
  authorizations: 2,
  invitations: 2,
  milestones: 2,
};

/** Rows written to the source by applyChanges, per kind (the new persons' awards apart). */
export interface ChangesMade extends ChangeMix {
  newPersonAssertions: number;
  total: number;
}

/**
 * Changes a generated Tahrir database the way Tahrir does between two catch-up runs: new
 * persons with their first award, new awards, revocations, edits, opt-out flips, deletions
 * (a deleted person's or badge's rows go with it), progress counters. Deterministic for a
 * seed; picks only rows that exist, so it can be applied repeatedly.
 */
export async function applyChanges(
  url: string,
  mix: Partial<ChangeMix>,
  seed = 1,
): Promise<ChangesMade> {
  const m: ChangeMix = { ...zeroMix(), ...mix };
  const db = new Client({ connectionString: url });
  await db.connect();
  const made: ChangesMade = { ...zeroMix(), newPersonAssertions: 0, total: 0 };
  const count = async (sql: string, params: unknown[] = []) =>
    (await db.query(sql, params)).rowCount ?? 0;
  try {
    await db.query('BEGIN');
    await db.query(`SET LOCAL TimeZone = 'UTC'`);
    await db.query(RND_FUNCTION);
    const tag = `s${seed}`;
    const { rows: bounds } = await db.query(`SELECT max(id) AS max_person FROM persons`);
    const maxPerson = Number(bounds[0].max_person ?? 0);
    // The generated badges that still exist, numbered from 0, to pick from.
    await db.query(`CREATE TEMP TABLE pick_badges ON COMMIT DROP AS
      SELECT id, (row_number() OVER (ORDER BY id) - 1)::int AS i FROM badges WHERE id LIKE 'badge-name-%'`);
    const { rows: pickable } = await db.query(`SELECT count(*)::int AS n FROM pick_badges`);
    const badgeAt = (expr: string) =>
      `(SELECT id FROM pick_badges WHERE i = (${expr}) % ${Math.max(1, pickable[0].n)})`;

    made.newBadges = await count(
      `INSERT INTO badges (id, name, image, description, criteria, issuer_id, created_on, tags)
       SELECT 'new-badge-${tag}-' || i, 'New Badge ${tag} ' || i, 'new-${tag}-' || i || '.png', 'A new badge.',
              'https://pagure.io/fedora-badges/issue/9' || i, 1, localtimestamp(0), 'new,badge,'
         FROM generate_series(1, $1::int) AS i`,
      [m.newBadges],
    );
    made.newPersons = await count(
      `INSERT INTO persons (email, nickname, created_on, opt_out)
       SELECT 'new-${tag}-' || i || '@fedoraproject.org', CASE WHEN i % 10 = 0 THEN NULL ELSE 'new-${tag}-' || i END,
              localtimestamp(0), false
         FROM generate_series(1, $1::int) AS i`,
      [m.newPersons],
    );
    // Their first award: a popular badge.
    made.newPersonAssertions = await count(
      `INSERT INTO assertions (id, badge_id, person_id, salt, issued_on, recipient)
       SELECT b.id || ' -> ' || p.id, b.id, p.id, md5('n' || p.id), localtimestamp(0),
              encode(sha256(convert_to(p.email || md5('n' || p.id), 'UTF8')), 'hex')
         FROM persons p CROSS JOIN LATERAL (SELECT ${badgeAt('0')} AS id) b
        WHERE p.id > $1 ON CONFLICT DO NOTHING`,
      [maxPerson],
    );
    // New awards to existing persons: a badge they do not hold yet.
    made.newAssertions = await count(
      `INSERT INTO assertions (id, badge_id, person_id, salt, issued_on, issued_for, recipient)
       SELECT b.id || ' -> ' || p.id, b.id, p.id, md5('${tag}' || p.id), localtimestamp(0),
              'https://bodhi.fedoraproject.org/updates/FEDORA-2026-${tag}', encode(sha256(convert_to(p.email || md5('${tag}' || p.id), 'UTF8')), 'hex')
         FROM (SELECT id, email FROM persons WHERE id <= $2 ORDER BY pg_temp.rnd('${tag}na' || id) LIMIT $1) p
         CROSS JOIN LATERAL (
           SELECT b.id FROM badges b
            WHERE NOT EXISTS (SELECT 1 FROM assertions a WHERE a.person_id = p.id AND a.badge_id = b.id)
            ORDER BY pg_temp.rnd('${tag}nb' || p.id || b.id) LIMIT 1) b
       ON CONFLICT DO NOTHING`,
      [m.newAssertions, maxPerson],
    );
    const pickAssertions = (what: string, n: number) =>
      `SELECT id FROM assertions WHERE person_id <= ${maxPerson} ORDER BY pg_temp.rnd('${tag}${what}' || id) LIMIT ${n}`;
    made.deletedAssertions = await count(
      `DELETE FROM assertions WHERE id IN (${pickAssertions('da', m.deletedAssertions)})`,
    );
    made.editedAssertions = await count(
      `UPDATE assertions SET issued_for = 'https://pagure.io/fedora-badges/issue/edited-${tag}'
        WHERE id IN (${pickAssertions('ea', m.editedAssertions)})`,
    );
    const pickPersons = (what: string, n: number) =>
      `SELECT id FROM persons WHERE id <= ${maxPerson} ORDER BY pg_temp.rnd('${tag}${what}' || id) LIMIT ${n}`;
    made.optOutFlips = await count(
      `UPDATE persons SET opt_out = NOT opt_out WHERE id IN (${pickPersons('oo', m.optOutFlips)})`,
    );
    made.editedPersons = await count(
      `UPDATE persons SET bio = 'Edited ${tag}', website = 'https://edited.example.org/' || id, last_login = localtimestamp(0)
        WHERE id IN (${pickPersons('ep', m.editedPersons)})`,
    );
    made.editedBadges = await count(
      `UPDATE badges SET description = 'Edited ${tag}: ' || left(description, 80), tags = 'edited,' || coalesce(tags, '')
        WHERE id IN (SELECT id FROM badges WHERE id LIKE 'badge-name-%' ORDER BY pg_temp.rnd('${tag}eb' || id) LIMIT $1)`,
      [m.editedBadges],
    );
    made.currentValues = await count(
      `INSERT INTO current_values (badge_id, person_id, value, last_update)
       SELECT ${badgeAt('p.id * 13')}, p.id, 1, localtimestamp(0)
         FROM (${pickPersons('cv', m.currentValues)}) p
       ON CONFLICT (badge_id, person_id) DO UPDATE SET value = current_values.value + 1, last_update = excluded.last_update`,
    );
    made.authorizations = await count(
      `INSERT INTO authorizations (badge_id, person_id)
       SELECT ${badgeAt('p.id * 3')}, p.id FROM (${pickPersons('au', m.authorizations)}) p`,
    );
    made.invitations = await count(
      `INSERT INTO invitations (id, created_on, expires_on, badge_id, created_by)
       SELECT md5('${tag}inv' || p.id), localtimestamp(0), localtimestamp(0) + interval '30 days', ${badgeAt('p.id')}, p.id
         FROM (${pickPersons('iv', m.invitations)}) p ON CONFLICT DO NOTHING`,
    );
    made.milestones = await count(
      `UPDATE milestone SET position = position + 10
        WHERE id IN (SELECT id FROM milestone ORDER BY pg_temp.rnd('${tag}ms' || id) LIMIT $1)`,
      [m.milestones],
    );
    // Deleted persons and badges take their rows along (Tahrir's foreign keys on
    // authorizations, invitations, current values and milestones demand it; assertions
    // are deleted too, as the admin tool did).
    const deletedPersons = await db.query(
      `SELECT id FROM (${pickPersons('dp', m.deletedPersons)}) p`,
    );
    const ids = deletedPersons.rows.map((r) => Number(r.id));
    for (const t of ['assertions', 'current_values', 'authorizations']) {
      await db.query(`DELETE FROM ${t} WHERE person_id = ANY($1)`, [ids]);
    }
    await db.query(`DELETE FROM invitations WHERE created_by = ANY($1)`, [ids]);
    made.deletedPersons = await count(`DELETE FROM persons WHERE id = ANY($1)`, [ids]);
    const deletedBadges = await db.query(
      `SELECT id FROM badges WHERE id LIKE 'badge-name-%' ORDER BY pg_temp.rnd('${tag}db' || id) LIMIT $1`,
      [m.deletedBadges],
    );
    const badgeIds = deletedBadges.rows.map((r) => r.id as string);
    for (const t of [
      'assertions',
      'current_values',
      'authorizations',
      'invitations',
      'milestone',
    ]) {
      await db.query(`DELETE FROM ${t} WHERE badge_id = ANY($1)`, [badgeIds]);
    }
    made.deletedBadges = await count(`DELETE FROM badges WHERE id = ANY($1)`, [badgeIds]);
    await db.query('COMMIT');
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await db.end();
  }
  made.total = Object.entries(made)
    .filter(([k]) => k !== 'total')
    .reduce((sum, [, v]) => sum + v, 0);
  return made;
}

function zeroMix(): ChangeMix {
  return {
    newPersons: 0,
    newAssertions: 0,
    deletedAssertions: 0,
    editedAssertions: 0,
    optOutFlips: 0,
    editedPersons: 0,
    deletedPersons: 0,
    editedBadges: 0,
    newBadges: 0,
    deletedBadges: 0,
    currentValues: 0,
    authorizations: 0,
    invitations: 0,
    milestones: 0,
  };
}
