import type { Command } from 'commander';
import { withExamples } from '../help';
import { jsonOption } from '../options';

/** What /healthz/ready answers (200 when ready, 503 with the same body when not). */
interface Readiness {
  status: 'ok' | 'unavailable';
  version?: string;
  checks: Record<string, { ok: boolean; error?: string; [detail: string]: unknown }>;
}

export function registerStatus(program: Command): void {
  withExamples(
    jsonOption(
      program
        .command('status')
        .summary("the service's health, version and message intake lag")
        .description(
          "the service's health: database, message intake (consumer state and lag) and " +
            'version; exits 5 when it is not ready',
        ),
    ),
    ['accolades status', 'ACCOLADES_URL=https://badges.example.org accolades status --json'],
  ).action((opts: { json?: boolean }) => status(opts));
}

async function status(opts: { json?: boolean }): Promise<void> {
  const { apiClient } = await import('../client/context');
  const { fields, print, printJson } = await import('../client/output');
  const { packageVersion } = await import('../../common/version');
  const { CliError, EXIT } = await import('../exit-codes');
  const api = apiClient();
  const r = await api.get<Readiness>('/healthz/ready', undefined, { accept: [503] });
  if (opts.json) printJson({ url: api.url, client_version: packageVersion(), ...r });
  else {
    const { database, intake, ...others } = r.checks;
    const lines: [string, string | null][] = [
      ['Server', api.url],
      ['Status', r.status === 'ok' ? 'ready' : 'NOT READY'],
      ['Version', `${r.version ?? 'unknown'} (this command: ${packageVersion()})`],
      ['Database', database && checkText(database, `${String(database.latency_ms)} ms`)],
      ['Intake', intake ? checkText(intake, intakeText(intake)) : 'off (no AMQP_URL)'],
      ...Object.entries(others).map(([name, c]): [string, string] => [name, checkText(c, 'ok')]),
    ];
    print(fields(lines));
  }
  if (r.status !== 'ok') throw new CliError(`${api.url} is not ready`, EXIT.SERVER);
}

function checkText(c: { ok: boolean; error?: string }, ok: string): string {
  return c.ok ? ok : `FAILING: ${c.error ?? 'unknown error'}`;
}

function intakeText(c: Record<string, unknown>): string {
  const lag =
    c.lag === null || c.lag === undefined ? 'lag unknown' : `lag ${String(c.lag)} messages`;
  return `${String(c.state)}, ${lag} (queue ${String(c.queue)})`;
}
