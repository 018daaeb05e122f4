import { Option, type Command } from 'commander';
import type { Held, Leaderboard, Page, Profile } from '../client/types';
import { withExamples } from '../help';
import { jsonOption, positiveInt } from '../options';

export function registerUsers(program: Command): void {
  const users = program.command('users').description('people and their badges');

  withExamples(
    jsonOption(
      users
        .command('show')
        .description('a person: rank, badge count, and their badges (newest first)')
        .argument('<user>', 'the account name')
        .option('--limit <n>', 'badges to list (at most 200)', positiveInt('--limit'), 50),
    ),
    ['accolades users show ralph', 'accolades users show ralph --json | jq ".badges | length"'],
  ).action((user: string, opts: { json?: boolean; limit: number }) => show(user, opts));

  withExamples(
    jsonOption(
      program
        .command('leaderboard')
        .summary('the top collectors: all time, this year, month, week or day')
        .description('the top collectors of all time, or of this year, month, week or day (UTC)')
        .addOption(
          new Option('--period <period>', 'which leaderboard')
            .choices(['all', 'year', 'month', 'week', 'day'])
            .default('all'),
        )
        .option('--limit <n>', 'how many people (at most 200)', positiveInt('--limit'), 25),
    ),
    ['accolades leaderboard', 'accolades leaderboard --period week --limit 10'],
  ).action((opts: { period: string; limit: number; json?: boolean }) => leaderboard(opts));
}

async function show(user: string, opts: { json?: boolean; limit: number }): Promise<void> {
  const { apiClient } = await import('../client/context');
  const { seg } = await import('../client/api-client');
  const { day, fields, plural, print, printJson, table } = await import('../client/output');
  const api = apiClient();
  const perPage = opts.limit;
  const [profile, held] = await Promise.all([
    api.get<Profile>(`/api/v1/users/${seg(user)}`),
    api.get<Page<Held>>(`/api/v1/users/${seg(user)}/assertions`, { per_page: perPage }),
  ]);
  if (opts.json) return printJson({ ...profile, badges: held.items });
  const rank = profile.rank ? `${profile.rank} of ${profile.ranked_users}` : 'unranked';
  print(
    fields([
      ['User', profile.nickname],
      ['Badges', profile.badge_count],
      ['Rank', rank],
      ['Percentile', profile.percentile],
      ['Joined', day(profile.created_on)],
      ['Last login', day(profile.last_login)],
      ['Website', profile.website],
      ['Page', profile.url],
    ]),
  );
  if (!held.items.length) return;
  print('');
  print(
    table(
      ['AWARDED', 'BADGE', 'NAME'],
      held.items.map((h) => [day(h.issued_on), h.badge.id, h.badge.name]),
    ),
  );
  if (held.total > held.items.length)
    print(`\n${held.items.length} of ${plural(held.total, 'badge')}; --limit for more`);
}

async function leaderboard(opts: { period: string; limit: number; json?: boolean }) {
  const { apiClient } = await import('../client/context');
  const { print, printJson, table } = await import('../client/output');
  const board = await apiClient().get<Leaderboard>('/api/v1/leaderboard', {
    period: opts.period,
    limit: opts.limit,
  });
  if (opts.json) return printJson(board);
  const label = opts.period === 'all' ? 'All time' : `This ${opts.period} (from ${board.start})`;
  print(`${label}\n`);
  print(
    table(
      ['RANK', 'USER', 'BADGES'],
      board.entries.map((e) => [e.rank, e.nickname, e.badges]),
    ),
  );
}
