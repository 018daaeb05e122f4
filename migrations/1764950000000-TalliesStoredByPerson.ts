import type { MigrationInterface, QueryRunner } from 'typeorm';
import { rebuildDerived } from './1764000000000-InitialSchema';

/** accolades_rebuild_derived() as the initial schema has it, with the tallies' order as given. */
const rebuild = (tallyOrder: string) => `
      CREATE OR REPLACE FUNCTION ${rebuildDerived(`        INSERT INTO award_tallies (period, period_start, person_id, awards)
        SELECT * FROM (
          SELECT k.period, date_trunc(k.unit, a.issued_on AT TIME ZONE 'UTC')::date AS period_start,
                 a.person_id, count(*)::int
          FROM assertions a JOIN persons p ON p.id = a.person_id AND NOT p.opt_out
          CROSS JOIN (VALUES ('y', 'year'), ('m', 'month'), ('w', 'week')) AS k(period, unit)
          GROUP BY 1, 2, 3
          OFFSET 0) t ${tallyOrder};`)}`;

/**
 * After a rebuild (a full Tahrir import), a person's period tallies are stored side by
 * side. They were in hash order, a person's 20 or so tallies on as many pages: every later
 * change to one person (an award, a revocation, an opt-out) read and rewrote a page per
 * tally, each a full-page image in the WAL after a checkpoint. Measured on one catch-up of
 * 1,000 Tahrir changes, run again on copies of the database with its tallies stored in
 * either order: updating 280 persons (120 opt-out flips) 100 to 160 ms in hash order, under
 * 40 ms by person; deleting 200 awards 140 to 185 ms, 111 to 115 ms. The rebuild itself
 * takes as long either way (17 to 19 s on a million awards, measured twice each).
 */
export class TalliesStoredByPerson1764950000000 implements MigrationInterface {
  name = 'TalliesStoredByPerson1764950000000';

  public async up(q: QueryRunner): Promise<void> {
    // Sorted after grouping (OFFSET 0 keeps the two apart): asked to group in person order,
    // the planner reads every award through the person index instead, a random read of the
    // whole table after a bulk load (measured: 12 s more on a full import).
    await q.query(rebuild('ORDER BY person_id, period, period_start'));
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(rebuild(''));
  }
}
