import type { Command } from 'commander';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('start the service (web pages, API and message intake), as `npm start` does')
    .action(async () => {
      await import('../../main');
    });
}
