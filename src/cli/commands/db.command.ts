import type { Command } from 'commander';
import { withExamples } from '../help';

export function registerDb(program: Command): void {
  const db = program.command('db').description('database maintenance');
  withExamples(db.command('migrate'), [
    'accolades db migrate',
    'accolades db migrate --database postgres://accolades@db/accolades',
  ])
    .description('apply pending migrations (to DATABASE_URL, or the embedded database)')
    .option(
      '--database <url>',
      'PostgreSQL URL (default: DATABASE_URL, else the embedded database)',
    )
    .action(async (opts: { database?: string }) => {
      const { localEnv } = await import('../local-context');
      const { Database } = await import('../../database/database');
      const env = localEnv({ DATABASE_URL: opts.database });
      const database = await Database.open(env, { migrate: false });
      try {
        const { migrate } = await import('../../database/data-source');
        const applied = await migrate(database.dataSource, { lock: database.kind === 'postgres' });
        console.log(
          applied.length ? `Applied: ${applied.join(', ')}` : 'The schema is up to date.',
        );
      } finally {
        await database.close();
      }
    });
}
