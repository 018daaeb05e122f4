import type { Command } from 'commander';
import { withExamples } from '../help';

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('the Open Badges signing keys');
  const dbOption = [
    '--database <url>',
    'PostgreSQL URL (default: DATABASE_URL, else the embedded database)',
  ] as const;
  withExamples(keys.command('list'), ['accolades keys list'])
    .description('every key ever used (all stay published), the active one marked')
    .option(...dbOption)
    .action(async (opts: { database?: string }) => {
      const { localEnv, withServices } = await import('../local-context');
      const { KeysService } = await import('../../modules/openbadges/keys.service');
      const list = await withServices(localEnv({ DATABASE_URL: opts.database }), (app) =>
        app.get(KeysService).list(),
      );
      for (const k of list) {
        const state = k.active
          ? 'active'
          : k.retiredOn
            ? `retired ${k.retiredOn.toISOString()}`
            : '';
        console.log(`${k.kid}  ${k.alg}  ${k.source}  ${k.createdOn.toISOString()}  ${state}`);
      }
    });
  withExamples(keys.command('rotate'), [
    'accolades keys rotate --database postgres://accolades@db/accolades',
  ])
    .description('generate a new signing key; the old one stays published for verification')
    .option(...dbOption)
    .action(async (opts: { database?: string }) => {
      const { localEnv, withServices } = await import('../local-context');
      const { KeysService } = await import('../../modules/openbadges/keys.service');
      const { DomainError } = await import('../../common/errors/domain-error');
      const { CliError, EXIT } = await import('../exit-codes');
      const key = await withServices(localEnv({ DATABASE_URL: opts.database }), (app) =>
        app.get(KeysService).rotate(),
      ).catch((err: unknown) => {
        throw err instanceof DomainError ? new CliError(err.message, EXIT.FAILED) : err;
      });
      console.log(`New signing key ${key.kid} (${key.alg}); running replicas switch within 30 s.`);
    });
}
