import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Counters for selections (operation lambdas of the form `len([m for m in query.all() if
 * COND])`, see src/modules/rules/engine/selection.ts), kept like the `count` counters:
 * - `rule_counter_filters.selection`: the lambda (null for a plain count counter) and
 *   `scope`: per user of the filter ('user') or over the whole filter ('all');
 * - `rule_selection_counts`: per filter, user ('' for the whole filter) and bucket (where
 *   the condition leaves a row: true or raising, with the row's compared values), how many
 *   stored messages fall there. So a selection costs a few primary-key reads per message
 *   instead of reading every matching row.
 */
export class SelectionCounters1764750000000 implements MigrationInterface {
  name = 'SelectionCounters1764750000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rule_counter_filters ADD COLUMN selection text`);
    await q.query(
      `ALTER TABLE rule_counter_filters ADD COLUMN scope text NOT NULL DEFAULT 'user'
         CHECK (scope IN ('user', 'all'))`,
    );
    await q.query(`
      CREATE TABLE rule_selection_counts (
        filter_key text NOT NULL REFERENCES rule_counter_filters (filter_key) ON DELETE CASCADE,
        username text NOT NULL,
        bucket text NOT NULL,
        count bigint NOT NULL,
        PRIMARY KEY (filter_key, username, bucket)
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS rule_selection_counts`);
    await q.query(`ALTER TABLE rule_counter_filters DROP COLUMN scope`);
    await q.query(`ALTER TABLE rule_counter_filters DROP COLUMN selection`);
  }
}
