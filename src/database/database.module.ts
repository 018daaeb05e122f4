import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ENV } from '../config/config.module';
import type { Env } from '../config/env.schema';
import { Database } from './database';

/** Opens the database (and migrates it) before anything else, closes it last. */
@Global()
@Module({
  providers: [
    {
      provide: Database,
      inject: [ENV],
      useFactory: (env: Env) => Database.open(env, { logger: new Logger('Database') }),
    },
    { provide: DataSource, inject: [Database], useFactory: (db: Database) => db.dataSource },
  ],
  exports: [Database, DataSource],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(Database) private readonly db: Database) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}
