import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { baseUrl, ConfigError, validateEnv } from './config/env.schema';
import { startIntake } from './modules/intake/intake.bootstrap';

async function main(): Promise<void> {
  let env;
  try {
    env = validateEnv(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(env), {
    bufferLogs: true,
  });
  configureApp(app, env);
  stopOnSignals(app);
  const intake = await startIntake(app);
  await app.listen(env.PORT, env.HOST);
  new Logger('Accolades').log(
    `Listening on ${baseUrl(env)} (API documentation at ${baseUrl(env)}/api/docs)`,
  );
  new Logger('Accolades').log(
    intake
      ? `Consuming ${env.AMQP_QUEUE} from ${env.AMQP_EXCHANGE} (${env.AMQP_BINDING_KEYS})`
      : 'No AMQP_URL: messages come in through POST /api/v1/messages only',
  );
}

/**
 * SIGTERM (docker stop, systemd) or SIGINT: stop taking work, let the modules close (the
 * intake settles what it holds, the outbox drains, the database closes), then exit 0.
 * Nest's own shutdown hooks re-raise the signal after closing, so the exit status would
 * say "killed" even after a clean stop.
 */
function stopOnSignals(app: NestExpressApplication): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    new Logger('Accolades').log(`${signal}: shutting down`);
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(
          `Shutdown failed: ${err instanceof Error ? err.stack : String(err)}\n`,
        );
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, stop);
}

main().catch((err) => {
  process.stderr.write(
    `Accolades failed to start: ${err instanceof Error ? err.stack : String(err)}\n`,
  );
  process.exit(1);
});
