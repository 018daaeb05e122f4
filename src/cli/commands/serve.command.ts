import type { Command } from 'commander';
import { withExamples } from '../help';

export function registerServe(program: Command): void {
  withExamples(program.command('serve'), [
    'accolades serve                                   # embedded database in ./data',
    'DATABASE_URL=postgres://accolades@db/accolades ACCOLADES_ADMIN_TOKEN=... accolades serve',
    'accolades serve --demo-rules',
  ])
    .description('start the service (web pages, API and message intake), as `npm start` does')
    .option(
      '--demo-rules',
      'run the demo collection rules (`npm run demo`), unless ACCOLADES_RULES_DIR or ACCOLADES_RULES_GIT is set',
    )
    .action(async (opts: { demoRules?: boolean }) => {
      if (opts.demoRules && !process.env.ACCOLADES_RULES_DIR && !process.env.ACCOLADES_RULES_GIT) {
        const { join } = await import('node:path');
        const { packageRoot } = await import('../../common/package-root');
        const { DEMO_RULES_DIR } = await import('../../modules/rules/loading/rules.loader');
        process.env.ACCOLADES_RULES_DIR = join(packageRoot(), DEMO_RULES_DIR);
      }
      await import('../../main');
    });
}
