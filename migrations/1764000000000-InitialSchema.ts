import type { MigrationInterface, QueryRunner } from 'typeorm';

/** accolades_apply_assertion_delta()'s signature (after `CREATE [OR REPLACE] FUNCTION`). */
export const ASSERTION_DELTA = `accolades_apply_assertion_delta(
        p_person integer[], p_badge text[], p_issued timestamptz[], p_sign integer[]
      ) RETURNS void LANGUAGE plpgsql AS $$`;
/** Its first part: the badges' and persons' counts. */
export const DELTA_COUNTS = `
        UPDATE badges b SET
          holders_count = b.holders_count + d.n,
          first_awarded_on = (SELECT min(a.issued_on) FROM assertions a WHERE a.badge_id = b.id),
          last_awarded_on = (SELECT max(a.issued_on) FROM assertions a WHERE a.badge_id = b.id)
        FROM (
          SELECT u.badge, sum(u.sign)::int AS n
          FROM unnest(p_badge, p_sign) AS u(badge, sign)
          GROUP BY u.badge ORDER BY u.badge
        ) d
        WHERE b.id = d.badge;

        UPDATE persons p SET badge_count = p.badge_count + d.n
        FROM (
          SELECT u.person, sum(u.sign)::int AS n
          FROM unnest(p_person, p_sign) AS u(person, sign)
          GROUP BY u.person ORDER BY u.person
        ) d
        WHERE p.id = d.person AND d.n <> 0;`;
/** Its upsert of the period tallies (without the closing semicolon). */
export const DELTA_TALLIES = `
        INSERT INTO award_tallies AS t (period, period_start, person_id, awards)
        SELECT k.period, date_trunc(k.unit, u.issued AT TIME ZONE 'UTC')::date, u.person, sum(u.sign)::int
        FROM unnest(p_person, p_issued, p_sign) AS u(person, issued, sign)
        JOIN persons p ON p.id = u.person AND NOT p.opt_out
        CROSS JOIN (VALUES ('y', 'year'), ('m', 'month'), ('w', 'week')) AS k(period, unit)
        GROUP BY 1, 2, 3
        HAVING sum(u.sign) <> 0
        ORDER BY 1, 2, 3
        ON CONFLICT (period, period_start, person_id) DO UPDATE SET awards = t.awards + excluded.awards`;

/**
 * accolades_rebuild_derived() (after `CREATE [OR REPLACE] FUNCTION`), with the given
 * statement refilling award_tallies while it has no index.
 */
export const rebuildDerived = (
  talliesInsert: string,
) => `accolades_rebuild_derived() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE badges b SET holders_count = coalesce(c.n, 0), first_awarded_on = c.first, last_awarded_on = c.last
        FROM badges b2 LEFT JOIN (
          SELECT badge_id, count(*)::int AS n, min(issued_on) AS first, max(issued_on) AS last
          FROM assertions GROUP BY badge_id
        ) c ON c.badge_id = b2.id
        WHERE b.id = b2.id;

        UPDATE persons p SET badge_count = coalesce(c.n, 0)
        FROM persons p2 LEFT JOIN (SELECT person_id, count(*)::int AS n FROM assertions GROUP BY person_id) c
          ON c.person_id = p2.id
        WHERE p.id = p2.id AND p.badge_count IS DISTINCT FROM coalesce(c.n, 0);

        DELETE FROM person_levels;
        INSERT INTO person_levels (opted_out, badge_count, persons)
        SELECT opt_out, badge_count, count(*)::int FROM persons GROUP BY 1, 2;

        -- Millions of rows: indexes are built after the load (several times faster
        -- than maintaining them row by row).
        DELETE FROM award_tallies;
        ALTER TABLE award_tallies DROP CONSTRAINT award_tallies_pkey;
        DROP INDEX award_tallies_board_idx;
        DROP INDEX award_tallies_person_idx;
${talliesInsert}
        ALTER TABLE award_tallies ADD CONSTRAINT award_tallies_pkey PRIMARY KEY (period, period_start, person_id);
        CREATE INDEX award_tallies_board_idx ON award_tallies (period, period_start, awards DESC, person_id);
        CREATE INDEX award_tallies_person_idx ON award_tallies (person_id);
      END $$`;

/** The rebuild's refill of award_tallies as first written (in hash order). */
const REBUILT_TALLIES = `        INSERT INTO award_tallies (period, period_start, person_id, awards)
        SELECT k.period, date_trunc(k.unit, a.issued_on AT TIME ZONE 'UTC')::date, a.person_id, count(*)::int
        FROM assertions a JOIN persons p ON p.id = a.person_id AND NOT p.opt_out
        CROSS JOIN (VALUES ('y', 'year'), ('m', 'month'), ('w', 'week')) AS k(period, unit)
        GROUP BY 1, 2, 3;`;

/** The parts of accolades_persons_changed() (see personsChanged). */
const PERSONS_INSERTED = `
          INSERT INTO person_levels AS l (opted_out, badge_count, persons)
          SELECT opt_out, badge_count, count(*)::int FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2
          ON CONFLICT (opted_out, badge_count) DO UPDATE SET persons = l.persons + excluded.persons;`;
const PERSONS_DELETED = `
          UPDATE person_levels l SET persons = l.persons - d.n
          FROM (SELECT opt_out, badge_count, count(*)::int AS n FROM old_rows GROUP BY 1, 2 ORDER BY 1, 2) d
          WHERE l.opted_out = d.opt_out AND l.badge_count = d.badge_count;
          DELETE FROM award_tallies WHERE person_id IN (SELECT id FROM old_rows);`;
const LEVELS_UPDATED = `
          INSERT INTO person_levels AS l (opted_out, badge_count, persons)
          SELECT lvl_out, lvl_count, sum(n)::int FROM (
            SELECT n.opt_out AS lvl_out, n.badge_count AS lvl_count, 1 AS n
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE o.opt_out <> n.opt_out OR o.badge_count <> n.badge_count
            UNION ALL
            SELECT o.opt_out, o.badge_count, -1
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE o.opt_out <> n.opt_out OR o.badge_count <> n.badge_count
          ) d
          GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2
          ON CONFLICT (opted_out, badge_count) DO UPDATE SET persons = l.persons + excluded.persons;
`;
const OPT_OUT_FLIPS = `
          -- Opted-out persons leave the period leaderboards; coming back rebuilds their tallies.
          DELETE FROM award_tallies t
          USING old_rows o JOIN new_rows n ON n.id = o.id
          WHERE t.person_id = n.id AND n.opt_out AND NOT o.opt_out;

          INSERT INTO award_tallies AS t (period, period_start, person_id, awards)
          SELECT k.period, date_trunc(k.unit, a.issued_on AT TIME ZONE 'UTC')::date, a.person_id, count(*)::int
          FROM old_rows o JOIN new_rows n ON n.id = o.id AND o.opt_out AND NOT n.opt_out
          JOIN assertions a ON a.person_id = n.id
          CROSS JOIN (VALUES ('y', 'year'), ('m', 'month'), ('w', 'week')) AS k(period, unit)
          GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
          ON CONFLICT (period, period_start, person_id) DO UPDATE SET awards = excluded.awards;`;

/**
 * accolades_persons_changed() (after `CREATE [OR REPLACE] FUNCTION`) with the given way of
 * applying opt-out flips to the period tallies (and the variables it declares).
 */
export const personsChanged = (optOutFlips = OPT_OUT_FLIPS, declare = '') =>
  `accolades_persons_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      ${declare}BEGIN
        IF TG_OP = 'INSERT' THEN${PERSONS_INSERTED}
        ELSIF TG_OP = 'DELETE' THEN${PERSONS_DELETED}
        ELSE${LEVELS_UPDATED}${optOutFlips}
        END IF;
        RETURN NULL;
      END $$`;

/**
 * The Tahrir model (issuers, badges, persons, assertions, authorizations, invitations,
 * teams, series, milestones, current_values) with its weaknesses fixed: text columns where
 * Tahrir truncated at 128 characters, tags as an array, time zones on every timestamp, a
 * unique (badge, person) constraint, indexes on every foreign key and on what pages sort by.
 *
 * Derived figures are kept by statement-level triggers, in the transaction of the write
 * that changes them, so they are never stale and cost one indexed read:
 * - persons.badge_count, badges.holders_count and the badge's first and last award dates;
 * - person_levels: how many persons hold exactly N badges (split by opt-out), from which
 *   a rank is 1 + the persons above (ties share a rank, as in Tahrir: 1, 1, 3);
 * - award_tallies: awards per person per calendar year / month / ISO week (UTC), visible
 *   persons only, for the period leaderboards (a day is small enough to count directly).
 *   No foreign key: it is derived data (emptied through the assertions' triggers when a
 *   person goes), and a key check per row made bulk rebuilds several times slower.
 * Statement-level triggers with transition tables keep bulk imports cheap: one aggregate per
 * statement instead of one per row.
 */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE issuers (
        id serial PRIMARY KEY,
        origin text NOT NULL,
        name varchar(255) NOT NULL,
        org text NOT NULL,
        contact text NOT NULL,
        image text,
        created_on timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT issuers_name_key UNIQUE (name)
      )`);

    await q.query(`
      CREATE TABLE badges (
        id varchar(255) PRIMARY KEY,
        name varchar(255) NOT NULL,
        image text NOT NULL,
        stl text,
        description text NOT NULL,
        criteria text NOT NULL,
        issuer_id integer NOT NULL REFERENCES issuers(id),
        tags text[] NOT NULL DEFAULT '{}',
        created_on timestamptz NOT NULL DEFAULT now(),
        updated_on timestamptz NOT NULL DEFAULT now(),
        holders_count integer NOT NULL DEFAULT 0,
        first_awarded_on timestamptz,
        last_awarded_on timestamptz,
        CONSTRAINT badges_name_key UNIQUE (name),
        CONSTRAINT badges_id_not_empty CHECK (id <> '')
      )`);
    await q.query(`CREATE INDEX badges_issuer_id_idx ON badges (issuer_id)`);
    await q.query(`CREATE INDEX badges_tags_idx ON badges USING gin (tags)`);
    await q.query(`CREATE INDEX badges_created_on_idx ON badges (created_on DESC, id)`);

    await q.query(`
      CREATE TABLE persons (
        id serial PRIMARY KEY,
        email varchar(255) NOT NULL,
        nickname varchar(255),
        website text,
        bio text,
        avatar text,
        created_on timestamptz NOT NULL DEFAULT now(),
        last_login timestamptz,
        opt_out boolean NOT NULL DEFAULT false,
        badge_count integer NOT NULL DEFAULT 0,
        CONSTRAINT persons_email_key UNIQUE (email),
        CONSTRAINT persons_nickname_key UNIQUE (nickname)
      )`);
    // The all-time leaderboard: ranked persons only, best first.
    await q.query(`
      CREATE INDEX persons_leaderboard_idx ON persons (badge_count DESC, id)
      WHERE NOT opt_out AND badge_count > 0`);
    await q.query(`CREATE INDEX persons_created_on_idx ON persons (created_on DESC)`);

    await q.query(`
      CREATE TABLE assertions (
        id varchar(255) PRIMARY KEY,
        badge_id varchar(255) NOT NULL REFERENCES badges(id) ON DELETE CASCADE,
        person_id integer NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
        salt varchar(255) NOT NULL,
        issued_on timestamptz NOT NULL DEFAULT now(),
        issued_for text,
        recipient varchar(255) NOT NULL,
        CONSTRAINT assertions_badge_person_key UNIQUE (badge_id, person_id)
      )`);
    // (badge_id, person_id) is covered by the unique constraint; these serve the pages.
    await q.query(
      `CREATE INDEX assertions_person_issued_idx ON assertions (person_id, issued_on DESC)`,
    );
    await q.query(
      `CREATE INDEX assertions_badge_issued_idx ON assertions (badge_id, issued_on DESC)`,
    );
    await q.query(`CREATE INDEX assertions_issued_on_idx ON assertions (issued_on DESC)`);

    // A revoked award keeps its identity so its Open Badges URL can answer 410 Gone.
    await q.query(`
      CREATE TABLE revoked_assertions (
        id varchar(255) PRIMARY KEY,
        badge_id varchar(255) NOT NULL,
        person_id integer,
        salt varchar(255) NOT NULL,
        issued_on timestamptz NOT NULL,
        issued_for text,
        recipient varchar(255) NOT NULL,
        revoked_on timestamptz NOT NULL DEFAULT now(),
        reason text NOT NULL DEFAULT ''
      )`);
    await q.query(`CREATE INDEX revoked_assertions_badge_idx ON revoked_assertions (badge_id)`);
    await q.query(`CREATE INDEX revoked_assertions_person_idx ON revoked_assertions (person_id)`);

    await q.query(`
      CREATE TABLE authorizations (
        id serial PRIMARY KEY,
        badge_id varchar(255) NOT NULL REFERENCES badges(id) ON DELETE CASCADE,
        person_id integer NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
        CONSTRAINT authorizations_badge_person_key UNIQUE (badge_id, person_id)
      )`);
    await q.query(`CREATE INDEX authorizations_person_idx ON authorizations (person_id)`);

    await q.query(`
      CREATE TABLE invitations (
        id varchar(64) PRIMARY KEY,
        badge_id varchar(255) NOT NULL REFERENCES badges(id) ON DELETE CASCADE,
        created_by integer NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
        created_on timestamptz NOT NULL DEFAULT now(),
        expires_on timestamptz NOT NULL,
        revoked_on timestamptz
      )`);
    await q.query(`CREATE INDEX invitations_badge_idx ON invitations (badge_id)`);
    await q.query(
      `CREATE INDEX invitations_created_by_idx ON invitations (created_by, created_on DESC)`,
    );

    await q.query(`
      CREATE TABLE teams (
        id varchar(255) PRIMARY KEY,
        name varchar(255) NOT NULL,
        created_on timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT teams_name_key UNIQUE (name)
      )`);

    await q.query(`
      CREATE TABLE series (
        id varchar(255) PRIMARY KEY,
        name varchar(255) NOT NULL,
        description text NOT NULL,
        created_on timestamptz NOT NULL DEFAULT now(),
        last_updated timestamptz NOT NULL DEFAULT now(),
        tags text[] NOT NULL DEFAULT '{}',
        team_id varchar(255) REFERENCES teams(id),
        CONSTRAINT series_name_key UNIQUE (name)
      )`);
    await q.query(`CREATE INDEX series_team_idx ON series (team_id)`);

    await q.query(`
      CREATE TABLE milestones (
        id serial PRIMARY KEY,
        position integer,
        badge_id varchar(255) NOT NULL REFERENCES badges(id) ON DELETE CASCADE,
        series_id varchar(255) NOT NULL REFERENCES series(id) ON DELETE CASCADE,
        CONSTRAINT milestones_series_badge_key UNIQUE (series_id, badge_id)
      )`);
    await q.query(
      `CREATE INDEX milestones_series_position_idx ON milestones (series_id, position)`,
    );
    await q.query(`CREATE INDEX milestones_badge_idx ON milestones (badge_id)`);

    await q.query(`
      CREATE TABLE current_values (
        badge_id varchar(255) NOT NULL REFERENCES badges(id) ON DELETE CASCADE,
        person_id integer NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
        value integer NOT NULL,
        last_update timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (badge_id, person_id)
      )`);
    await q.query(`CREATE INDEX current_values_person_idx ON current_values (person_id)`);

    await q.query(`
      CREATE TABLE person_levels (
        opted_out boolean NOT NULL,
        badge_count integer NOT NULL,
        persons integer NOT NULL,
        PRIMARY KEY (opted_out, badge_count)
      )`);

    await q.query(`
      CREATE TABLE award_tallies (
        period char(1) NOT NULL CHECK (period IN ('y', 'm', 'w')),
        period_start date NOT NULL,
        person_id integer NOT NULL,
        awards integer NOT NULL,
        CONSTRAINT award_tallies_pkey PRIMARY KEY (period, period_start, person_id)
      )`);
    await q.query(`
      CREATE INDEX award_tallies_board_idx ON award_tallies (period, period_start, awards DESC, person_id)`);
    await q.query(`CREATE INDEX award_tallies_person_idx ON award_tallies (person_id)`);

    await this.createTriggers(q);
  }

  private async createTriggers(q: QueryRunner): Promise<void> {
    // Applies a batch of assertion changes (+1 awarded, -1 removed) to the derived figures.
    // Rows are aggregated before any update so a bulk insert costs one pass, and updates go
    // in key order so concurrent awards lock shared rows in the same order.
    await q.query(`
      CREATE FUNCTION ${ASSERTION_DELTA}
      BEGIN${DELTA_COUNTS}
${DELTA_TALLIES};

        IF EXISTS (SELECT 1 FROM unnest(p_sign) AS s WHERE s < 0) THEN
          DELETE FROM award_tallies WHERE person_id = ANY (p_person) AND awards <= 0;
        END IF;
      END $$`);

    await q.query(`
      CREATE FUNCTION accolades_assertions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM accolades_apply_assertion_delta(array_agg(person_id), array_agg(badge_id::text),
            array_agg(issued_on), array_agg(1)) FROM new_rows HAVING count(*) > 0;
        ELSIF TG_OP = 'DELETE' THEN
          PERFORM accolades_apply_assertion_delta(array_agg(person_id), array_agg(badge_id::text),
            array_agg(issued_on), array_agg(-1)) FROM old_rows HAVING count(*) > 0;
        ELSE
          PERFORM accolades_apply_assertion_delta(array_agg(person_id), array_agg(badge_id::text),
            array_agg(issued_on), array_agg(sign))
          FROM (
            SELECT person_id, badge_id, issued_on, -1 AS sign FROM old_rows
            UNION ALL
            SELECT person_id, badge_id, issued_on, 1 AS sign FROM new_rows
          ) changes HAVING count(*) > 0;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER assertions_inserted AFTER INSERT ON assertions
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
      EXECUTE FUNCTION accolades_assertions_changed()`);
    await q.query(`
      CREATE TRIGGER assertions_deleted AFTER DELETE ON assertions
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
      EXECUTE FUNCTION accolades_assertions_changed()`);
    await q.query(`
      CREATE TRIGGER assertions_updated AFTER UPDATE ON assertions
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
      EXECUTE FUNCTION accolades_assertions_changed()`);

    // Keeps person_levels (and, on opt-out changes, award_tallies) in step with persons.
    await q.query(`CREATE FUNCTION ${personsChanged()}`);
    await q.query(`
      CREATE TRIGGER persons_inserted AFTER INSERT ON persons
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
      EXECUTE FUNCTION accolades_persons_changed()`);
    await q.query(`
      CREATE TRIGGER persons_deleted AFTER DELETE ON persons
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
      EXECUTE FUNCTION accolades_persons_changed()`);
    await q.query(`
      CREATE TRIGGER persons_updated AFTER UPDATE ON persons
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
      EXECUTE FUNCTION accolades_persons_changed()`);

    // Recomputes every derived figure from the base tables: used after bulk loads that
    // bypass the triggers, and by consistency checks.
    await q.query(`CREATE FUNCTION ${rebuildDerived(REBUILT_TALLIES)}`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'award_tallies',
      'person_levels',
      'current_values',
      'milestones',
      'series',
      'teams',
      'invitations',
      'authorizations',
      'revoked_assertions',
      'assertions',
      'persons',
      'badges',
      'issuers',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table} CASCADE`);
    }
    await q.query(`DROP FUNCTION IF EXISTS accolades_rebuild_derived()`);
    await q.query(`DROP FUNCTION IF EXISTS accolades_persons_changed()`);
    await q.query(`DROP FUNCTION IF EXISTS accolades_assertions_changed()`);
    await q.query(
      `DROP FUNCTION IF EXISTS accolades_apply_assertion_delta(integer[], text[], timestamptz[], integer[])`,
    );
  }
}
