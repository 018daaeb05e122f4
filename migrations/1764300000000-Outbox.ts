import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications to publish on the bus, written in the transaction of the award that causes
 * them and drained by the publisher: an award never waits for, nor is lost with, the broker.
 * A row is leased (leased_until) while being published, so several replicas drain the table
 * without holding a transaction open during the broker round trip.
 */
export class Outbox1764300000000 implements MigrationInterface {
  name = 'Outbox1764300000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        message_id uuid NOT NULL,
        topic text NOT NULL,
        body jsonb NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        attempts integer NOT NULL DEFAULT 0,
        leased_until timestamptz,
        last_error text
      )`);
    await q.query(`CREATE INDEX outbox_leased_until_idx ON outbox (leased_until, id)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbox`);
  }
}
