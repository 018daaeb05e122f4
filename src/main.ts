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

main().catch((err) => {
  process.stderr.write(
    `Accolades failed to start: ${err instanceof Error ? err.stack : String(err)}\n`,
  );
  process.exit(1);
});
