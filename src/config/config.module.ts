import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { Env } from './env.schema';

/** Injection token of the validated environment (see env.schema.ts). */
export const ENV = Symbol('ENV');

/**
 * Provides the environment validated by the caller (main.ts, the CLI or a test), so tests
 * pass their own settings without touching process.env.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(env: Env): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: ENV, useValue: env }], exports: [ENV] };
  }
}
