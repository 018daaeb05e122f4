import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { BusMessage, RuleFileError } from '../../modules/rules/engine';
import { CliError, EXIT } from '../exit-codes';
import { withExamples } from '../help';
import { jsonOption } from '../options';

interface ReplayFlags {
  rules: string;
  messages: string;
  database?: string;
  json?: boolean;
}

interface BackfillFlags {
  messages: string[];
  database?: string;
  json?: boolean;
}

export function registerRules(program: Command): void {
  const rules = program
    .command('rules')
    .description('check and run badge rules: locally, or on the server over its history (test)');
  withExamples(
    rules
      .command('validate')
      .description(
        'load every rule file of a directory and report problems per file (exit 1 if any is invalid)',
      )
      .argument('<dir>', 'directory of rule files (*.yml)')
      .option('--json', 'print the report as JSON'),
    ['accolades rules validate ../fedora-badges/rules'],
  ).action((dir: string, opts: { json?: boolean }) => validate(dir, opts));
  withExamples(
    rules
      .command('replay')
      .description(
        'run a stream of messages through rules and print each award as a JSON line ' +
          '{"badge_id","badge_name","user","msg_id"} (on a throwaway embedded database by default)',
      )
      .requiredOption('--rules <dir>', 'directory of rule files')
      .requiredOption('--messages <file>', 'messages, JSON lines (datagrepper or fedora-messaging)')
      .option('--database <url>', 'PostgreSQL URL to replay into (default: a throwaway database)')
      .option('--json', 'end with a JSON summary line (default: a summary on stderr)'),
    ['accolades rules replay --rules ../fedora-badges/rules --messages msgs.jsonl'],
  ).action(async (opts: ReplayFlags) => {
    await replay(opts);
  });
  withExamples(
    rules
      .command('backfill')
      .description(
        'load past messages into the history (duplicates skipped) so counts start from the real ' +
          'past; rules are not run, counters are recomputed at the end',
      )
      .requiredOption(
        '--messages <files...>',
        'datagrepper-style files: JSON lines, a JSON array, or datagrepper pages',
      )
      .option(
        '--database <url>',
        'PostgreSQL URL (default: DATABASE_URL, else the embedded database)',
      )
      .option('--json', 'print a JSON summary'),
    ['accolades rules backfill --messages dump-*.json'],
  ).action((opts: BackfillFlags) => backfill(opts));
  withExamples(
    jsonOption(
      rules
        .command('test')
        .description(
          'ask the server to run a rule over its stored message history (nothing is awarded): ' +
            'who would receive the badge, and why (admins)',
        )
        .argument('<rule>', 'a rule file (YAML, fedbadges format); "-" reads standard input')
        .option(
          '--since <when>',
          'how far back: a duration (90m, 12h, 30d, 2w) or a date (2024-01-31)',
          '30d',
        ),
    ),
    [
      'accolades rules test rules/flock-2026.yml',
      'accolades rules test rules/tester-03.yml --since 2024-01-01 --json',
    ],
  ).action((file: string, opts: { since: string; json?: boolean }) => testOnServer(file, opts));
}

/** The rule files of a directory, read and loaded (no database). */
export async function validate(dir: string, opts: { json?: boolean } = {}): Promise<void> {
  const { readRuleFiles } = await import('../../modules/rules/loading/rule-files');
  const { loadCollection } = await import('../../modules/rules/engine');
  let files;
  try {
    files = await readRuleFiles(resolve(dir));
  } catch (err) {
    throw new CliError(`Cannot read ${dir}: ${(err as Error).message}`, EXIT.USAGE);
  }
  const { rules, errors } = loadCollection(files);
  const invalid = new Set(errors.filter((e) => e.kind === 'invalid').map((e) => e.file));
  const unsupported = new Set(errors.filter((e) => e.kind === 'unsupported').map((e) => e.file));
  if (opts.json) {
    console.log(
      JSON.stringify({
        ok: invalid.size === 0,
        files: files.length,
        loaded: rules.length,
        invalid: invalid.size,
        unsupported: unsupported.size,
        errors,
      }),
    );
  } else {
    for (const e of errors) console.log(formatError(e));
    console.log(
      `${files.length} files: ${rules.length} rules loaded, ${invalid.size} invalid, ${unsupported.size} unsupported`,
    );
  }
  if (invalid.size) throw new CliError(`${invalid.size} invalid rule file(s)`, EXIT.FAILED);
}

function formatError(e: RuleFileError): string {
  return `${e.file}: ${e.kind === 'unsupported' ? 'unsupported' : 'invalid'}${e.field ? ` [${e.field}]` : ''}: ${e.reason}`;
}

/** Runs messages through rules; awards go to stdout as JSON lines. */
export async function replay(
  opts: ReplayFlags,
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<{ messages: number; duplicates: number; invalid: number; awards: number }> {
  const { localEnv, withServices } = await import('../local-context');
  const throwaway = opts.database ? null : mkdtempSync(join(tmpdir(), 'accolades-replay-'));
  const env = localEnv({
    DATABASE_URL: opts.database ?? '',
    ACCOLADES_DATA_DIR: throwaway ?? undefined,
    ACCOLADES_RULES_DIR: resolve(opts.rules),
    ACCOLADES_RULES_GIT: '',
    ACCOLADES_RULES_RELOAD_SECONDS: '0',
    // A replay never talks to the bus, whatever the environment says.
    AMQP_URL: '',
  });
  try {
    return await withServices(env, async (app) => {
      const { RulesService } = await import('../../modules/rules/rules.service');
      const { readMessageFile } = await import('../message-files');
      const rules = app.get(RulesService);
      const loaded = await rules.reload().catch((err: Error) => {
        throw new CliError(err.message, EXIT.USAGE);
      });
      for (const e of loaded.errors) process.stderr.write(`${formatError(e)}\n`);
      const summary = { messages: 0, duplicates: 0, invalid: 0, awards: 0, ruleErrors: 0 };
      // Messages in order, as many per transaction as the intake takes (same results,
      // fewer commits).
      let batch: BusMessage[] = [];
      const flush = async () => {
        if (!batch.length) return;
        const results = await rules.processBatch(batch);
        batch = [];
        for (const r of results) {
          if (r.status === 'duplicate') {
            summary.duplicates++;
            continue;
          }
          summary.ruleErrors += r.ruleErrors.length;
          for (const a of r.awards) {
            summary.awards++;
            out(
              JSON.stringify({
                badge_id: a.badgeId,
                badge_name: a.badgeName,
                user: a.user,
                msg_id: a.msgId,
              }),
            );
          }
        }
      };
      for await (const raw of readMessageFile(opts.messages)) {
        summary.messages++;
        try {
          if (raw.value instanceof Error) throw raw.value;
          batch.push(rules.parse(raw.value));
        } catch (err) {
          summary.invalid++;
          process.stderr.write(`${raw.where}: skipped: ${(err as Error).message}\n`);
          continue;
        }
        if (batch.length >= env.ACCOLADES_INTAKE_BATCH) await flush();
      }
      await flush();
      if (opts.json) out(JSON.stringify({ summary }));
      else
        process.stderr.write(
          `${summary.messages} messages (${summary.duplicates} duplicates, ${summary.invalid} invalid): ${summary.awards} awards, ${summary.ruleErrors} rule errors\n`,
        );
      return summary;
    });
  } finally {
    if (throwaway) rmSync(throwaway, { recursive: true, force: true });
  }
}

/** Bulk-loads history from message files, then recomputes the counters. */
export async function backfill(opts: BackfillFlags): Promise<void> {
  const { localEnv, withServices } = await import('../local-context');
  const env = localEnv({ DATABASE_URL: opts.database, ACCOLADES_RULES_RELOAD_SECONDS: '0' });
  await withServices(env, async (app) => {
    const { RulesService } = await import('../../modules/rules/rules.service');
    const { readMessageFile, countLines } = await import('../message-files');
    const { logProgress, terminalProgress } = await import('../progress');
    const rules = app.get(RulesService);
    const progress = process.stderr.isTTY ? terminalProgress() : logProgress();
    let invalid = 0;
    let total = 0;
    for (const f of opts.messages) total += await countLines(f);
    async function* messages(): AsyncGenerator<BusMessage> {
      for (const file of opts.messages) {
        for await (const raw of readMessageFile(file)) {
          try {
            if (raw.value instanceof Error) throw raw.value;
            yield rules.parse(raw.value);
          } catch (err) {
            invalid++;
            progress.note(`${raw.where}: skipped: ${(err as Error).message}`);
          }
        }
      }
    }
    progress.start('history', total);
    const result = await rules.backfill(messages(), (_inserted, read) => progress.advance(read));
    progress.finish();
    const summary = { ...result, duplicates: result.read - result.inserted, invalid };
    if (opts.json) console.log(JSON.stringify(summary));
    else
      console.log(
        `${summary.read} messages read: ${summary.inserted} stored, ${summary.duplicates} already there, ${invalid} invalid; ${summary.counters} counters recomputed`,
      );
  });
}

/** What POST /api/v1/rules/test answers. */
interface DryRun {
  badge_id: string;
  badge_name: string;
  since: string;
  scanned: number;
  triggered: number;
  awards: { user: string; msg_id: string; topic: string; sent_at: string; trace: string[] }[];
  skipped: { user: string; msg_id: string; reason: string }[];
  errors: { msg_id: string; error: string }[];
}

/** `rules test`: the server's dry run of one rule file; an invalid rule exits 1, as validate does. */
async function testOnServer(file: string, opts: { since: string; json?: boolean }): Promise<void> {
  const { readInput } = await import('../client/files');
  const { apiClient } = await import('../client/context');
  const { ApiError } = await import('../client/api-client');
  const { plural, print, printJson } = await import('../client/output');
  const text = await readInput(file);
  let r: DryRun;
  try {
    r = await apiClient().post<DryRun>('/api/v1/rules/test', { rule: text, since: opts.since });
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== 'RULE.INVALID') throw err;
    if (opts.json) printJson({ ok: false, file, errors: err.fields });
    else for (const f of err.fields) print(`${file} [${f.field}]: ${f.errors.join('; ')}`);
    throw new CliError(`${file} does not load (RULE.INVALID)`, EXIT.FAILED);
  }
  if (opts.json) return printJson(r);
  print(
    `${r.badge_name} (${r.badge_id}): ${plural(r.scanned, 'message')} since ${r.since}, ` +
      `${r.triggered} triggered the rule; it would award ${plural(r.awards.length, 'person', 'people')}.`,
  );
  for (const a of r.awards) {
    print(`\n${a.user}  on ${a.sent_at}  (${a.topic}, message ${a.msg_id})`);
    for (const step of a.trace) print(`    ${step}`);
  }
  if (r.skipped.length) {
    print('\nSkipped:');
    for (const s of r.skipped) print(`  ${s.user}: ${s.reason} (message ${s.msg_id})`);
  }
  if (r.errors.length) {
    print('\nRule errors:');
    for (const e of r.errors) print(`  message ${e.msg_id}: ${e.error}`);
  }
}
