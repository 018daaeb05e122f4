import type { MigrationInterface, QueryRunner } from 'typeorm';

const WATCHED = [
  'assertions',
  'persons',
  'badges',
  'issuers',
  'series',
  'milestones',
  'teams',
  'current_values',
];

/**
 * A change stamp for the page cache: one row whose counter moves, in the same transaction,
 * with every write to what pages show (statement-level triggers, so a bulk load moves it
 * once per statement). A page rendered after reading stamp N is served from cache only
 * while the stamp is still N; as the counter is transactional, a reader never sees the new
 * stamp before the data it stands for.
 */
export class SiteChanges1764600000001 implements MigrationInterface {
  name = 'SiteChanges1764600000001';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE site_changes (
        id smallint PRIMARY KEY CHECK (id = 1),
        stamp bigint NOT NULL,
        changed_on timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO site_changes (id, stamp) VALUES (1, 1)`);
    await q.query(`
      CREATE FUNCTION accolades_site_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE site_changes SET stamp = stamp + 1, changed_on = now() WHERE id = 1;
        RETURN NULL;
      END $$`);
    for (const table of WATCHED) {
      await q.query(`
        CREATE TRIGGER ${table}_site_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION accolades_site_changed()`);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const table of WATCHED) {
      await q.query(`DROP TRIGGER IF EXISTS ${table}_site_changed ON ${table}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS accolades_site_changed()`);
    await q.query(`DROP TABLE IF EXISTS site_changes`);
  }
}
