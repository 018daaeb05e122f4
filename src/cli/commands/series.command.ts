import type { Command } from 'commander';
import type { Series, SeriesDetail } from '../client/types';
import { withExamples } from '../help';
import { jsonOption } from '../options';

export function registerSeries(program: Command): void {
  const series = program.command('series').description('the badge ladders (series)');

  withExamples(
    jsonOption(series.command('list').description('every series, with its number of badges')),
    ['accolades series list', 'accolades series list --json'],
  ).action((opts: { json?: boolean }) => list(opts));

  withExamples(
    jsonOption(
      series
        .command('show')
        .description('a series and its badges in order')
        .argument('<series>', 'the series id (see series list)'),
    ),
    ['accolades series show tester', 'accolades series show tester --json'],
  ).action((id: string, opts: { json?: boolean }) => show(id, opts));
}

async function list(opts: { json?: boolean }): Promise<void> {
  const { apiClient } = await import('../client/context');
  const { print, printJson, table } = await import('../client/output');
  const all = await apiClient().get<Series[]>('/api/v1/series');
  if (opts.json) return printJson(all);
  print(
    table(
      ['ID', 'NAME', 'BADGES', 'TAGS'],
      all.map((s) => [s.id, s.name, s.badge_count ?? null, s.tags.join(', ')]),
    ),
  );
}

async function show(id: string, opts: { json?: boolean }): Promise<void> {
  const { apiClient } = await import('../client/context');
  const { seg } = await import('../client/api-client');
  const { fields, print, printJson, table } = await import('../client/output');
  const s = await apiClient().get<SeriesDetail>(`/api/v1/series/${seg(id)}`);
  if (opts.json) return printJson(s);
  print(
    fields([
      ['ID', s.id],
      ['Name', s.name],
      ['Description', s.description],
      ['Team', s.team?.name],
      ['Tags', s.tags.join(', ')],
      ['Page', s.url],
    ]),
  );
  print('');
  print(
    table(
      ['STEP', 'BADGE', 'NAME', 'AWARDED'],
      s.milestones.map((m) => [m.position, m.badge.id, m.badge.name, m.badge.times_awarded]),
    ),
  );
}
