import { DomainError } from '../../common/errors/domain-error';

/** What the AMQP door does with a message after its handler ran. */
export type Disposition =
  | { kind: 'ack' }
  /** Cannot ever succeed (unparseable, invalid): to the dead-letter queue now. */
  | { kind: 'dead-letter'; reason: string }
  /** May succeed later: re-queued with an attempt count, dead-lettered after the limit. */
  | { kind: 'retry'; reason: string }
  /** The database is away: back to the queue, and the intake pauses until it returns. */
  | { kind: 'unavailable'; reason: string };

// PostgreSQL SQLSTATE classes of a lost or refused connection, and node-level errors.
const UNAVAILABLE_SQLSTATES = /^(08|57P0[1-4]|53300|3D000)/;
const UNAVAILABLE_MESSAGES =
  /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|Connection terminated|timeout exceeded when trying to connect|terminating connection|not yet accepting connections|is not currently accepting connections|database system is (starting up|shutting down)|Client has encountered a connection error|Connection ended unexpectedly/i;

/** Does this error mean "the database cannot be reached right now"? */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as {
    code?: string;
    message?: string;
    driverError?: { code?: string; message?: string };
  } | null;
  if (!e) return false;
  const code = e.driverError?.code ?? e.code;
  if (typeof code === 'string' && UNAVAILABLE_SQLSTATES.test(code)) return true;
  if (typeof code === 'string' && /^E(CONNREFUSED|CONNRESET|PIPE|TIMEDOUT|HOSTUNREACH)$/.test(code))
    return true;
  return UNAVAILABLE_MESSAGES.test(`${e.message ?? ''} ${e.driverError?.message ?? ''}`);
}

/**
 * The AMQP door's one translation of errors: invalid input is poison, a database outage
 * pauses the intake, anything else is retried a few times.
 */
export function dispositionOf(err: unknown): Disposition {
  if (err instanceof DomainError && err.kind === 'invalid') {
    return { kind: 'dead-letter', reason: `${err.code}: ${err.message}` };
  }
  if (isDatabaseUnavailable(err)) {
    return { kind: 'unavailable', reason: (err as Error).message };
  }
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return { kind: 'retry', reason: message };
}
