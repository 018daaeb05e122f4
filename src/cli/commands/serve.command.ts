import type { Command } from 'commander';

export function registerServe(program: Command): void {
  program
    .command('serve')
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
