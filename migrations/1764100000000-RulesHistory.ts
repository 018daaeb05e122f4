import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the rules engine needs instead of datanommer:
 * - `messages`: every bus message the service has seen, once (the id is the message id, so
 *   a redelivery is a conflict, not a second row), indexed for the datanommer filters the
 *   rules use (users and packages by GIN, topic and category with time, time alone);
 * - `rule_counter_filters` / `rule_counters`: for each counter-eligible filter (a count
 *   filter whose only per-message part is one user), how many stored messages match it per
 *   user, kept up to date in the transaction that stores a message, so a `count` criterion
 *   costs one primary-key read however long the history grows;
 * - `identities`: the local identity source of the recipient_*2fas converters.
 */
export class RulesHistory1764100000000 implements MigrationInterface {
  name = 'RulesHistory1764100000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE messages (
        id text PRIMARY KEY,
        topic text NOT NULL,
        -- fedbadges' category: the 4th dot-separated part of the topic (possibly empty),
        -- none when the topic has fewer parts (the engine's categoryOf).
        category text GENERATED ALWAYS AS (
          CASE WHEN topic ~ '^([^.]*\\.){3}' THEN split_part(topic, '.', 4) END) STORED,
        users text[] NOT NULL DEFAULT '{}',
        packages text[] NOT NULL DEFAULT '{}',
        agent text,
        body jsonb NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}',
        sent_at timestamptz NOT NULL,
        -- When this service stored it (the intake's throughput and lag are measured on it).
        received_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE INDEX messages_users_idx ON messages USING gin (users)`);
    await q.query(`CREATE INDEX messages_packages_idx ON messages USING gin (packages)`);
    await q.query(`CREATE INDEX messages_topic_sent_at_idx ON messages (topic, sent_at)`);
    await q.query(`CREATE INDEX messages_category_sent_at_idx ON messages (category, sent_at)`);
    await q.query(`CREATE INDEX messages_sent_at_idx ON messages (sent_at)`);

    // seq orders registrations: a replica whose cached list is older than max(seq) reloads it.
    await q.query(`
      CREATE TABLE rule_counter_filters (
        filter_key text PRIMARY KEY,
        filter jsonb NOT NULL,
        ready boolean NOT NULL DEFAULT false,
        seq bigserial NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE rule_counters (
        filter_key text NOT NULL REFERENCES rule_counter_filters (filter_key) ON DELETE CASCADE,
        username text NOT NULL,
        count bigint NOT NULL,
        PRIMARY KEY (filter_key, username)
      )`);

    await q.query(`
      CREATE TABLE identities (
        kind text NOT NULL CHECK (kind IN ('nick', 'email', 'openid', 'github', 'distgit', 'krb')),
        value text NOT NULL,
        username text NOT NULL,
        PRIMARY KEY (kind, value)
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS identities`);
    await q.query(`DROP TABLE IF EXISTS rule_counters`);
    await q.query(`DROP TABLE IF EXISTS rule_counter_filters`);
    await q.query(`DROP TABLE IF EXISTS messages`);
  }
}
