import { Client } from 'pg';

/** The PostgreSQL server the suites use (trust auth on this machine kind). */
export const PG_ADMIN_URL =
  process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const AMQP_TEST_URL = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export const START_POSTGRES =
  'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';
export const START_RABBITMQ = 'rabbitmq-server -detached  (then wait for: rabbitmqctl status)';

/** Fails loudly, naming the command to run, when PostgreSQL is not reachable. */
export async function requirePostgres(url = PG_ADMIN_URL): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    throw new Error(
      `The test suites need PostgreSQL at ${url}, which did not answer (${(err as Error).message}).\n` +
        `Start it with: ${START_POSTGRES}\nor point TEST_POSTGRES_URL at a server.`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Database name of a URL. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
