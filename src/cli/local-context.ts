import type { INestApplicationContext } from '@nestjs/common';
import { ConfigError, type Env, validateEnv } from '../config/env.schema';
import { CliError, EXIT } from './exit-codes';

/** The validated environment, with database flags of local commands applied. */
export function localEnv(overrides: Record<string, string | undefined> = {}): Env {
  const merged: Record<string, unknown> = { ...process.env };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) merged[k] = v;
  // Local commands are quiet unless asked otherwise.
  merged.LOG_LEVEL ??= 'warn';
  merged.LOG_DESTINATION ??= 'stderr';
  try {
    return validateEnv(merged);
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, EXIT.USAGE);
    throw err;
  }
}

/**
 * Runs a local command inside the service's module graph (same services, same database
 * selection and migrations as the server), without listening on HTTP. Nest is loaded
 * only here, so client commands stay fast to start.
 */
export async function withServices<T>(
  env: Env,
  fn: (app: INestApplicationContext) => Promise<T>,
): Promise<T> {
  const [{ NestFactory }, { AppModule }, { Logger }] = await Promise.all([
    import('@nestjs/core'),
    import('../app.module'),
    import('nestjs-pino'),
  ]);
  let app: INestApplicationContext;
  try {
    app = await NestFactory.createApplicationContext(AppModule.forRoot(env), { bufferLogs: true });
  } catch (err) {
    throw new CliError(`Could not open the database: ${(err as Error).message}`, EXIT.SERVER);
  }
  app.useLogger(app.get(Logger));
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}
