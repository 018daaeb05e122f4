import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The part of accolades_apply_assertion_delta() before the period tallies, unchanged. */
const COUNTS = `
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

const REPLACE_DELTA = `CREATE OR REPLACE FUNCTION accolades_apply_assertion_delta(
        p_person integer[], p_badge text[], p_issued timestamptz[], p_sign integer[]
      ) RETURNS void LANGUAGE plpgsql AS $$`;

const TALLIES = `
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
 * Removing awards empties period tallies, which are deleted. They were found by reading
 * every tally of the people concerned (all their years, months and weeks: 8,600 rows for
 * 200 people, a third of the cost of deleting 200 awards); now the tallies just brought to
 * zero are deleted by primary key, as the upsert that changed them returns them.
 */
export class TalliesEmptiedByKey1764900000000 implements MigrationInterface {
  name = 'TalliesEmptiedByKey1764900000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ${REPLACE_DELTA}
      DECLARE
        e_period char(1)[];
        e_start date[];
        e_person integer[];
      BEGIN
        ${COUNTS}

        WITH changed AS (${TALLIES}
          RETURNING t.period, t.period_start, t.person_id, t.awards)
        SELECT array_agg(period), array_agg(period_start), array_agg(person_id)
          INTO e_period, e_start, e_person
          FROM changed WHERE awards <= 0;

        IF e_person IS NOT NULL THEN
          DELETE FROM award_tallies t
           USING unnest(e_period, e_start, e_person) AS e(period, period_start, person_id)
           WHERE t.period = e.period AND t.period_start = e.period_start
             AND t.person_id = e.person_id AND t.awards <= 0;
        END IF;
      END $$`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ${REPLACE_DELTA}
      BEGIN
        ${COUNTS}

        ${TALLIES};

        IF EXISTS (SELECT 1 FROM unnest(p_sign) AS s WHERE s < 0) THEN
          DELETE FROM award_tallies WHERE person_id = ANY (p_person) AND awards <= 0;
        END IF;
      END $$`);
  }
}
