import type { Command } from 'commander';
import type { ApiClient } from '../client/api-client';
import type { Preview } from '../client/holdings';
import type { Badge } from '../client/types';
import { withExamples } from '../help';
import { jsonOption } from '../options';

type Kind = 'award' | 'revoke';

interface BulkFlags {
  file?: string;
  for?: string;
  reason?: string;
  yes?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

/** One person's outcome of a bulk award or revocation. */
interface Outcome {
  user: string;
  status: 'awarded' | 'revoked' | 'unchanged' | 'failed';
  code?: string;
  error?: string;
}

const WORDS = {
  award: {
    json: { change: 'will_receive', unchanged: 'already_hold' },
    verb: 'Award',
    Done: 'Awarded',
    done: 'awarded',
    to: 'to',
    unchanged: 'already hold it',
    unchangedAfter: 'already held it',
  },
  revoke: {
    json: { change: 'will_lose', unchanged: 'do_not_hold' },
    verb: 'Revoke',
    Done: 'Revoked',
    done: 'revoked',
    to: 'from',
    unchanged: 'do not hold it',
    unchangedAfter: 'did not hold it',
  },
} as const;

/** The options both commands share. */
function bulkOptions(cmd: Command): Command {
  return jsonOption(
    cmd
      .option('-f, --file <file>', 'account names, one per line ("-" reads standard input)')
      .option('-y, --yes', 'do not ask for confirmation (needed when stdin is not a terminal)')
      .option('--dry-run', 'show the preview only; change nothing'),
  );
}

export function registerAwards(program: Command): void {
  withExamples(
    bulkOptions(
      program
        .command('award')
        .summary('award a badge to people (preview, then confirm)')
        .description(
          "award a badge to people (admins, and the badge's granters): shows who gets it, who " +
            'already has it and who is unknown, then asks before writing',
        )
        .argument('<badge>', 'the badge id')
        .argument('[users...]', 'account names (or --file)')
        .option('--for <url>', 'link to what the award is for (an event, a pull request...)'),
    ),
    [
      'accolades award flock-2026 ralph decause',
      'accolades award flock-2026 -f attendees.txt --for https://flocktofedora.org',
      'cut -d, -f1 attendees.csv | accolades award flock-2026 -f - --yes --json',
    ],
  ).action((badge: string, users: string[], opts: BulkFlags) => bulk('award', badge, users, opts));

  withExamples(
    bulkOptions(
      program
        .command('revoke')
        .summary('take a badge back from people (preview, then confirm)')
        .description(
          "take a badge back from people (admins, and the badge's granters), with the same " +
            'preview and confirmation as award',
        )
        .argument('<badge>', 'the badge id')
        .argument('[users...]', 'account names (or --file)')
        .option('--reason <text>', 'why (shown to Open Badges verifiers)'),
    ),
    [
      'accolades revoke flock-2026 mallory --reason "awarded by mistake"',
      'accolades revoke flock-2026 -f wrong.txt --yes',
    ],
  ).action((badge: string, users: string[], opts: BulkFlags) => bulk('revoke', badge, users, opts));
}

async function bulk(kind: Kind, badgeId: string, users: string[], opts: BulkFlags) {
  const { readUsernames } = await import('../client/usernames');
  const { apiClient } = await import('../client/context');
  const { seg } = await import('../client/api-client');
  const { preview } = await import('../client/holdings');
  const { note, print, printJson } = await import('../client/output');
  const { confirm } = await import('../client/prompt');
  const { CliError, EXIT } = await import('../exit-codes');
  const w = WORDS[kind];

  const names = await readUsernames(users, opts.file);
  const api = apiClient();
  const badge = await api.get<Badge>(`/api/v1/badges/${seg(badgeId)}`);
  const plan = await preview(api, kind, badge, names);

  if (opts.dryRun) {
    if (opts.json) printJson({ badge: badge.id, preview: previewJson(kind, plan) });
    else print(previewText(kind, badge, plan));
    return;
  }
  // With --json, stdout is the result: the preview a person confirms goes to stderr.
  if (!opts.json) print(previewText(kind, badge, plan));
  else if (!opts.yes) note(previewText(kind, badge, plan));

  let outcomes: Outcome[] = [];
  if (plan.change.length) {
    const question = `${w.verb} ${badge.id} ${w.to} ${people(plan.change.length)}?`;
    if (!opts.yes && !(await confirm(question)))
      throw new CliError('nothing was changed', EXIT.FAILED);
    outcomes = await writeAll(api, kind, badge.id, plan.change, opts);
  }

  const done = outcomes.filter((o) => o.status === w.done).length;
  const failed = outcomes.filter((o) => o.status === 'failed');
  const unchanged = plan.unchanged.length + outcomes.filter((o) => o.status === 'unchanged').length;
  const summary = {
    [w.done]: done,
    unchanged,
    unknown: plan.unknown.length,
    failed: failed.length,
  };
  if (opts.json)
    printJson({ badge: badge.id, preview: previewJson(kind, plan), results: outcomes, summary });
  else {
    print(
      `${w.Done} ${badge.id} ${w.to} ${people(done)}; ${unchanged} ${w.unchangedAfter}; ` +
        `${plan.unknown.length} unknown; ${failed.length} failed.`,
    );
    for (const f of failed) print(`  ${f.user}: ${f.error} (${f.code})`);
  }
  if (failed.length) throw new CliError(`${people(failed.length)} failed`, EXIT.FAILED);
  if (plan.unknown.length)
    throw new CliError(
      `unknown: ${plan.unknown.join(', ')} (no such account here, or hidden)`,
      EXIT.NOT_FOUND,
    );
}

/** The preview for scripts, with names that say what each list means for this command. */
function previewJson(kind: Kind, plan: Preview) {
  const names = WORDS[kind].json;
  return { [names.change]: plan.change, [names.unchanged]: plan.unchanged, unknown: plan.unknown };
}

const people = (n: number) => `${n} ${n === 1 ? 'person' : 'people'}`;

function previewText(kind: Kind, badge: Badge, plan: Preview): string {
  const w = WORDS[kind];
  const list = (names: string[]) => (names.length ? `: ${names.join(', ')}` : '');
  const lines = [
    `${w.verb} "${badge.name}" (${badge.id}) ${w.to} ${people(plan.change.length)}${list(plan.change)}`,
  ];
  if (plan.unchanged.length)
    lines.push(`  ${people(plan.unchanged.length)} ${w.unchanged}${list(plan.unchanged)}`);
  if (plan.unknown.length)
    lines.push(
      `  ${people(plan.unknown.length)} unknown (no such account here, or hidden)${list(plan.unknown)}`,
    );
  return lines.join('\n');
}

/**
 * Writes one person at a time (award transactions update shared rank rows; one at a time
 * keeps the server's work in order), with a bar on a terminal and a line per person
 * otherwise. A refused token or a server out of reach stops the run: every next write
 * would fail the same way.
 */
async function writeAll(
  api: ApiClient,
  kind: Kind,
  badgeId: string,
  people: string[],
  opts: BulkFlags,
): Promise<Outcome[]> {
  const { ApiError, seg } = await import('../client/api-client');
  const { note } = await import('../client/output');
  const { terminalProgress } = await import('../progress');
  const { EXIT } = await import('../exit-codes');
  const w = WORDS[kind];
  const bar = process.stderr.isTTY ? terminalProgress(process.stderr, 'people') : null;
  bar?.start(w.done, people.length);
  const outcomes: Outcome[] = [];
  try {
    for (const user of people) {
      let outcome: Outcome;
      try {
        if (kind === 'award')
          await api.post('/api/v1/assertions', {
            badge_id: badgeId,
            nickname: user,
            issued_for: opts.for,
          });
        else
          await api.delete(`/api/v1/badges/${seg(badgeId)}/holders/${seg(user)}`, {
            reason: opts.reason,
          });
        outcome = { user, status: w.done };
      } catch (err) {
        if (!(err instanceof ApiError) || err.exitCode === EXIT.FORBIDDEN) throw err;
        // Someone else awarded or revoked it since the preview: the end state is the one asked for.
        const raced =
          err.code === (kind === 'award' ? 'ASSERTION.ALREADY_EXISTS' : 'ASSERTION.NOT_FOUND');
        outcome = raced
          ? { user, status: 'unchanged' }
          : { user, status: 'failed', code: err.code, error: err.detail };
      }
      outcomes.push(outcome);
      if (bar) bar.advance(1);
      else note(`${outcome.status} ${user}${outcome.error ? `: ${outcome.error}` : ''}`);
    }
  } finally {
    bar?.finish();
  }
  return outcomes;
}
