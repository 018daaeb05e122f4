import type { AddressInfo } from 'node:net';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { startIntake } from '../../src/modules/intake/intake.bootstrap';
import { type Env, validateEnv } from '../../src/config/env.schema';
import { createTestDatabase, type TestDatabase, type TestDbKind } from './test-database';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestApp {
  app: NestExpressApplication;
  env: Env;
  db: TestDatabase;
  dataSource: DataSource;
  http: () => ReturnType<typeof request>;
  /** Base URL when started with `listen: true`. */
  url: string | null;
  get<T>(token: new (...args: never[]) => T): T;
  close(): Promise<void>;
}

/**
 * The whole service, configured as main.ts does, on a fresh test database of the project's
 * kind (or the one given).
 */
export async function createTestApp(
  opts: {
    env?: Record<string, string>;
    db?: TestDatabase;
    kind?: TestDbKind;
    listen?: boolean;
    /** Port to listen on (with `listen`); default any free one. */
    port?: number;
    /** Runs after the app is configured and before it starts (e.g. extra middleware). */
    beforeInit?: (app: NestExpressApplication) => void;
  } = {},
): Promise<TestApp> {
  const db = opts.db ?? (await createTestDatabase(opts.kind));
  const env = validateEnv({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    ACCOLADES_ADMIN_TOKEN: ADMIN_TOKEN,
    PORT: '0',
    HOST: '127.0.0.1',
    // Suites log in many times from one address; the rate-limit tests set their own limits.
    ACCOLADES_RATE_LIMIT_LOGIN: '10000',
    ACCOLADES_RATE_LIMIT_CLAIM: '10000',
    ACCOLADES_RATE_LIMIT_TOKENS: '10000',
    ...db.env,
    ...opts.env,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(env)] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bufferLogs: true });
  configureApp(app, env);
  opts.beforeInit?.(app);
  // With AMQP_URL in its env, the app consumes from the broker as main.ts does.
  await startIntake(app);
  let url: string | null = null;
  if (opts.listen) {
    await app.listen(opts.port ?? 0, '127.0.0.1');
    const address = app.getHttpServer().address() as AddressInfo;
    url = `http://127.0.0.1:${address.port}`;
  } else {
    await app.init();
  }
  return {
    app,
    env,
    db,
    url,
    dataSource: app.get(DataSource),
    http: () => request(app.getHttpServer()),
    get: (token) => app.get(token),
    close: async () => {
      await app.close();
      if (!opts.db) await db.drop();
    },
  };
}

export const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
