/** SQLSTATEs that mean "run the same transaction again": deadlock, serialization failure. */
const RETRYABLE = new Set(['40P01', '40001']);

function sqlState(err: unknown): string | undefined {
  const e = err as { code?: string; driverError?: { code?: string } } | null;
  return e?.driverError?.code ?? e?.code;
}

/**
 * An error that rolled its transaction back because of work another transaction committed
 * meanwhile (for example an award another replica made): running it again sees that work.
 */
export class ConcurrentChangeError extends Error {
  override readonly name = 'ConcurrentChangeError';
}

/** Was this transaction aborted only because of a concurrent one, so that a rerun is safe? */
export function isRetryable(err: unknown): boolean {
  if (err instanceof ConcurrentChangeError) return true;
  const code = sqlState(err);
  return code !== undefined && RETRYABLE.has(code);
}

/**
 * Runs a transaction again when PostgreSQL aborted it to resolve a deadlock or a
 * serialization conflict between replicas, or when it rolled itself back on finding work
 * of another replica (ConcurrentChangeError). Such an abort wrote nothing, so a retry is
 * safe; other errors go to the door's own translation (retry queue, dead letter, pause).
 */
export async function withTransactionRetry<T>(run: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (!isRetryable(err) || attempt >= attempts) throw err;
      // A little jitter so the two transactions do not collide again at once.
      await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
    }
  }
}
