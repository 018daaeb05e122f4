import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Open Badges 3.0: the issuer's signing keys and the revocation status of issued
 * credentials (W3C Bitstring Status List).
 *
 * - signing_keys: every key the service ever signed with. The newest unretired one signs;
 *   retired ones stay published so credentials signed with them keep verifying. Keys given
 *   in the configuration are recorded with their public half only.
 * - status_lists: each issuer's lists (a status list credential is signed by the issuer of
 *   the credentials it covers), how many positions are taken, and a revision that moves
 *   whenever a bit flips, so a signed list can be cached until its revision changes.
 * - credential_status: the list position of each assertion issued as a credential
 *   (assigned on first issue, never reused). No foreign key to assertions: the row must
 *   outlive the assertion so its bit can say "revoked".
 * A trigger on assertions sets the bit when an assertion leaves (revoked, or deleted with
 * its badge or person) and clears it if the same assertion id comes back.
 */
export class OpenBadges1764500000000 implements MigrationInterface {
  name = 'OpenBadges1764500000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE signing_keys (
        kid varchar(128) PRIMARY KEY,
        alg varchar(16) NOT NULL,
        public_jwk jsonb NOT NULL,
        private_jwk jsonb,
        source varchar(16) NOT NULL CHECK (source IN ('generated', 'configured')),
        created_on timestamptz NOT NULL DEFAULT now(),
        retired_on timestamptz
      )`);
    await q.query(
      `CREATE INDEX signing_keys_active_idx ON signing_keys (created_on DESC) WHERE retired_on IS NULL`,
    );

    await q.query(`
      CREATE TABLE status_lists (
        id serial PRIMARY KEY,
        issuer_id integer NOT NULL REFERENCES issuers(id) ON DELETE CASCADE,
        used integer NOT NULL DEFAULT 0 CHECK (used >= 0),
        revision bigint NOT NULL DEFAULT 0,
        updated_on timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX status_lists_issuer_idx ON status_lists (issuer_id, id)`);
    await q.query(`
      CREATE TABLE credential_status (
        assertion_id varchar(255) PRIMARY KEY,
        list_id integer NOT NULL REFERENCES status_lists(id) ON DELETE CASCADE,
        list_index integer NOT NULL CHECK (list_index >= 0),
        revoked boolean NOT NULL DEFAULT false,
        created_on timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT credential_status_position_key UNIQUE (list_id, list_index)
      )`);
    await q.query(
      `CREATE INDEX credential_status_revoked_idx ON credential_status (list_id, list_index) WHERE revoked`,
    );

    await q.query(`
      CREATE FUNCTION accolades_credential_status_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        flipped integer[];
      BEGIN
        IF TG_OP = 'DELETE' THEN
          WITH f AS (
            UPDATE credential_status cs SET revoked = true
              FROM old_rows o WHERE cs.assertion_id = o.id AND NOT cs.revoked
            RETURNING cs.list_id)
          SELECT array_agg(DISTINCT list_id) INTO flipped FROM f;
        ELSE
          WITH f AS (
            UPDATE credential_status cs SET revoked = false
              FROM new_rows n WHERE cs.assertion_id = n.id AND cs.revoked
            RETURNING cs.list_id)
          SELECT array_agg(DISTINCT list_id) INTO flipped FROM f;
        END IF;
        IF flipped IS NOT NULL THEN
          UPDATE status_lists SET revision = revision + 1, updated_on = now()
           WHERE id = ANY (flipped);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER assertions_credential_status_deleted AFTER DELETE ON assertions
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
      EXECUTE FUNCTION accolades_credential_status_sync()`);
    await q.query(`
      CREATE TRIGGER assertions_credential_status_inserted AFTER INSERT ON assertions
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
      EXECUTE FUNCTION accolades_credential_status_sync()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS assertions_credential_status_inserted ON assertions`);
    await q.query(`DROP TRIGGER IF EXISTS assertions_credential_status_deleted ON assertions`);
    await q.query(`DROP FUNCTION IF EXISTS accolades_credential_status_sync()`);
    await q.query(`DROP TABLE IF EXISTS credential_status`);
    await q.query(`DROP TABLE IF EXISTS status_lists`);
    await q.query(`DROP TABLE IF EXISTS signing_keys`);
  }
}
