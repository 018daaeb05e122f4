import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ASSERTION_DELTA, DELTA_COUNTS, DELTA_TALLIES } from './1764000000000-InitialSchema';

const REPLACE_DELTA = `CREATE OR REPLACE FUNCTION ${ASSERTION_DELTA}`;

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
        ${DELTA_COUNTS}

        WITH changed AS (${DELTA_TALLIES}
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
        ${DELTA_COUNTS}

        ${DELTA_TALLIES};

        IF EXISTS (SELECT 1 FROM unnest(p_sign) AS s WHERE s < 0) THEN
          DELETE FROM award_tallies WHERE person_id = ANY (p_person) AND awards <= 0;
        END IF;
      END $$`);
  }
}
