import type { Command } from 'commander';
import { withExamples } from '../help';

export function registerDemo(program: Command): void {
  withExamples(program.command('demo'), [
    'accolades demo && accolades serve --demo-rules',
    'accolades demo --json',
  ])
    .description('load the demo collection, people and awards (once; later runs change nothing)')
    .option(
      '--database <url>',
      'PostgreSQL URL (default: DATABASE_URL, else the embedded database)',
    )
    .option('--json', 'print a JSON summary')
    .action(async (opts: { database?: string; json?: boolean }) => {
      const { join } = await import('node:path');
      const { DataSource } = await import('typeorm');
      const { localEnv, withServices } = await import('../local-context');
      const { packageRoot } = await import('../../common/package-root');
      const { DEMO_COLLECTION } = await import('../../demo/demo-collection');
      const { seedDemo } = await import('../../demo/demo-seeder');
      const { AwardsService } = await import('../../modules/awards/awards.service');
      const { ProgressService } = await import('../../modules/awards/progress.service');
      const { BadgesService } = await import('../../modules/badges/badges.service');
      const { IssuersService } = await import('../../modules/badges/issuers.service');
      const { SeriesService } = await import('../../modules/badges/series.service');
      const { UsersService } = await import('../../modules/users/users.service');
      const summary = await withServices(localEnv({ DATABASE_URL: opts.database }), (app) =>
        seedDemo(join(packageRoot(), DEMO_COLLECTION), {
          ds: app.get(DataSource),
          issuers: app.get(IssuersService),
          badges: app.get(BadgesService),
          series: app.get(SeriesService),
          users: app.get(UsersService),
          awards: app.get(AwardsService),
          progress: app.get(ProgressService),
        }),
      );
      if (opts.json) console.log(JSON.stringify(summary));
      else if (summary.seeded)
        console.log(
          `Demo loaded: ${summary.badges} badges, ${summary.people} people, ${summary.awards} awards.`,
        );
      else console.log('The demo is already loaded; nothing changed.');
    });
}
