import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Login, sessions, personal API tokens and the audit log (issue 7).
 *
 * - auth_accounts: the Fedora account behind a person (OIDC subject) and whether the last
 *   login made them an admin (from the groups claim), so a change of role is noticed and
 *   audited. Kept apart from `persons`, which mirrors Tahrir's table for the import.
 * - http_sessions: express-session's store; `expires_at` is indexed for pruning.
 * - api_tokens: only the SHA-256 of a token is kept; the token is shown once.
 * - audit_log: who did what to whom, for admins; actor and subject are text (account
 *   names, badge ids, "bootstrap") so entries outlive what they name.
 */
export class Auth1764400000000 implements MigrationInterface {
  name = 'Auth1764400000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE auth_accounts (
        person_id integer PRIMARY KEY REFERENCES persons (id) ON DELETE CASCADE,
        subject varchar(255) NOT NULL UNIQUE,
        is_admin boolean NOT NULL DEFAULT false,
        first_login timestamptz NOT NULL DEFAULT now(),
        last_login timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE http_sessions (
        sid varchar(255) PRIMARY KEY,
        sess jsonb NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX http_sessions_expires_at_idx ON http_sessions (expires_at)`);
    await q.query(`
      CREATE TABLE api_tokens (
        id serial PRIMARY KEY,
        person_id integer NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
        name varchar(100) NOT NULL,
        token_hash char(64) NOT NULL UNIQUE,
        scopes text[] NOT NULL,
        created_on timestamptz NOT NULL DEFAULT now(),
        expires_on timestamptz,
        last_used_on timestamptz,
        revoked_on timestamptz,
        CHECK (scopes <@ ARRAY['read', 'grant', 'admin']::text[] AND cardinality(scopes) > 0)
      )`);
    await q.query(`CREATE INDEX api_tokens_person_id_idx ON api_tokens (person_id)`);
    await q.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor varchar(255),
        action varchar(64) NOT NULL,
        subject varchar(512) NOT NULL,
        details jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await q.query(`CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS audit_log`);
    await q.query(`DROP TABLE IF EXISTS api_tokens`);
    await q.query(`DROP TABLE IF EXISTS http_sessions`);
    await q.query(`DROP TABLE IF EXISTS auth_accounts`);
  }
}
