import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the web pages need:
 * - current_values.target: the count a progress value climbs towards ("37 of 40"), when the
 *   rule that records it knows its threshold; null when it does not.
 * - persons_lower_nickname_idx: people search and the "compare with" form match nicknames
 *   without regard to case.
 * - persons_opted_out_idx: the few opted-out persons, so a badge's visible holder count is
 *   its holders_count minus a handful of index probes instead of a count of every holder.
 */
export class PagesSupport1764600000000 implements MigrationInterface {
  name = 'PagesSupport1764600000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE current_values ADD COLUMN target integer`);
    await q.query(
      `CREATE INDEX persons_lower_nickname_idx ON persons (lower(nickname) text_pattern_ops)`,
    );
    await q.query(`CREATE INDEX persons_opted_out_idx ON persons (id) WHERE opt_out`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS persons_opted_out_idx`);
    await q.query(`DROP INDEX IF EXISTS persons_lower_nickname_idx`);
    await q.query(`ALTER TABLE current_values DROP COLUMN IF EXISTS target`);
  }
}
