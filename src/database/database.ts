import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Env } from '../config/env.schema';
import { createDataSource, migrate } from './data-source';
import { EmbeddedPostgres } from './embedded-postgres';
import { redact } from './redact';

/** An open, migrated database: PostgreSQL when configured, otherwise the embedded one. */
export class Database {
  private constructor(
    readonly dataSource: DataSource,
    readonly embedded: EmbeddedPostgres | null,
  ) {}

  get kind(): 'postgres' | 'embedded' {
    return this.embedded ? 'embedded' : 'postgres';
  }

  static async open(
    env: Env,
    opts: { migrate?: boolean; logger?: Logger } = {},
  ): Promise<Database> {
    const logger = opts.logger ?? new Logger('Database');
    const embedded = env.DATABASE_URL ? null : await EmbeddedPostgres.start(env.ACCOLADES_DATA_DIR);
    const dataSource = createDataSource({
      url: env.DATABASE_URL ?? embedded!.url,
      poolSize: embedded ? 1 : env.DATABASE_POOL_SIZE,
    });
    try {
      await dataSource.initialize();
      if (opts.migrate !== false) {
        const applied = await migrate(dataSource, { lock: !embedded });
        if (applied.length) logger.log(`Applied migrations: ${applied.join(', ')}`);
      }
    } catch (err) {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.stop();
      throw err;
    }
    logger.log(
      embedded
        ? `Using the embedded database in ${embedded.dataDir}`
        : `Using PostgreSQL at ${redact(env.DATABASE_URL!)}`,
    );
    return new Database(dataSource, embedded);
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.embedded?.stop();
  }
}
