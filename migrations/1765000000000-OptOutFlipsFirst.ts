import type { MigrationInterface, QueryRunner } from 'typeorm';
import { personsChanged } from './1764000000000-InitialSchema';

/** The persons whose opt-out flipped, listed before any tally is touched. */
const FLIPS_FIRST = `
          SELECT array_agg(n.id) FILTER (WHERE n.opt_out), array_agg(n.id) FILTER (WHERE NOT n.opt_out)
            INTO went_out, came_back
            FROM old_rows o JOIN new_rows n ON n.id = o.id
           WHERE o.opt_out <> n.opt_out;

          -- Opted-out persons leave the period leaderboards; coming back rebuilds their tallies.
          IF went_out IS NOT NULL THEN
            DELETE FROM award_tallies WHERE person_id = ANY (went_out);
          END IF;
          IF came_back IS NOT NULL THEN
            INSERT INTO award_tallies AS t (period, period_start, person_id, awards)
            SELECT k.period, date_trunc(k.unit, a.issued_on AT TIME ZONE 'UTC')::date, a.person_id, count(*)::int
            FROM assertions a
            CROSS JOIN (VALUES ('y', 'year'), ('m', 'month'), ('w', 'week')) AS k(period, unit)
            WHERE a.person_id = ANY (came_back)
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (period, period_start, person_id) DO UPDATE SET awards = excluded.awards;
          END IF;`;

/**
 * accolades_persons_changed() looks for opt-out flips before touching award_tallies.
 *
 * Every award changes its holder's badge_count, so the persons trigger runs on every award
 * and revocation; its opt-out step joined each updated person with all their period
 * tallies (about 35 each) and only then kept those whose opt-out had flipped: deleting 585
 * awards read 20,000 tallies for none (7 to 15 ms of the statement's 110). The flips are
 * listed first now, and only those persons' tallies are touched.
 */
export class OptOutFlipsFirst1765000000000 implements MigrationInterface {
  name = 'OptOutFlipsFirst1765000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE OR REPLACE FUNCTION ${personsChanged(FLIPS_FIRST, 'DECLARE went_out integer[]; came_back integer[];\n      ')}`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE FUNCTION ${personsChanged()}`);
  }
}
