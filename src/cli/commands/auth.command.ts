import type { Command } from 'commander';
import { withExamples } from '../help';
import { jsonOption } from '../options';

interface LoginFlags {
  url?: string;
  token?: string;
  json?: boolean;
}

/** Who the API says the caller is (GET /api/v1/me). */
interface Me {
  via: 'bootstrap' | 'token' | 'session';
  personId: number | null;
  nickname: string | null;
  isAdmin: boolean;
  scopes: string[];
}

export function registerAuth(program: Command): void {
  withExamples(
    jsonOption(
      program
        .command('login')
        .summary('save a server URL and API token for the client commands')
        .description(
          'check a server URL and an API token against the server, and save them for the other ' +
            'client commands (in ~/.config/accolades/config.json, readable by you only)',
        )
        .option('--url <url>', 'the service (default: ACCOLADES_URL, the saved one, or asked)')
        .option(
          '--token <token>',
          'an API token from <url>/settings/tokens; "-" reads it from standard input ' +
            '(default: ACCOLADES_TOKEN, or asked)',
        ),
    ),
    [
      'accolades login --url https://badges.example.org      # asks for the token',
      'pass show badges | accolades login --url https://badges.example.org --token -',
    ],
  ).action((opts: LoginFlags) => login(opts));

  withExamples(
    program
      .command('logout')
      .description('forget the saved token (the token itself stays valid until revoked)'),
    ['accolades logout'],
  ).action(() => logout());

  withExamples(
    jsonOption(
      program.command('whoami').description('who the saved token (or ACCOLADES_TOKEN) belongs to'),
    ),
    ['accolades whoami', 'ACCOLADES_TOKEN=acc_... accolades whoami --json'],
  ).action((opts: { json?: boolean }) => whoami(opts));
}

function describeMe(me: Me, url: string): string {
  const who = me.via === 'bootstrap' ? 'the bootstrap admin token' : (me.nickname ?? 'unknown');
  const role = me.isAdmin ? 'admin' : 'not an admin';
  return `${who} at ${url} (${role}; scopes: ${me.scopes.join(', ') || 'none'})`;
}

async function login(opts: LoginFlags): Promise<void> {
  const { ApiClient } = await import('../client/api-client');
  const { configFile, readConfig, writeConfig, normalizeUrl, DEFAULT_URL } =
    await import('../client/config');
  const { ask, canAsk } = await import('../client/prompt');
  const { CliError, EXIT } = await import('../exit-codes');
  const { print, printJson } = await import('../client/output');
  const file = configFile();
  const saved = readConfig(file);

  let url = opts.url || process.env.ACCOLADES_URL || saved.url;
  if (!url && canAsk()) url = (await ask(`Server URL [${DEFAULT_URL}]: `)) || DEFAULT_URL;
  url = normalizeUrl(url || DEFAULT_URL);

  const { readText } = await import('../client/files');
  let token =
    opts.token === '-'
      ? (await readText(process.stdin)).split(/\r?\n/)[0].trim()
      : (opts.token ?? process.env.ACCOLADES_TOKEN);
  if (!token && canAsk())
    token = await ask(`API token (make one at ${url}/settings/tokens): `, { hidden: true });
  if (!token)
    throw new CliError(
      'no token: give --token, or --token - to read it from standard input',
      EXIT.USAGE,
    );

  const me = await new ApiClient({ url, token }).get<Me>('/api/v1/me');
  writeConfig(file, { url, token });
  if (opts.json) printJson({ url, config: file, ...me });
  else print(`Logged in as ${describeMe(me, url)}.\nSaved to ${file}.`);
}

async function logout(): Promise<void> {
  const { configFile, readConfig, writeConfig } = await import('../client/config');
  const { print } = await import('../client/output');
  const file = configFile();
  const saved = readConfig(file);
  if (!saved.token) {
    print('Not logged in.');
    return;
  }
  // The URL stays, so the next login only asks for a token.
  writeConfig(file, { url: saved.url });
  print(
    `Logged out of ${saved.url}: the token is no longer saved on this machine. It stays valid ` +
      `until you revoke it at ${saved.url}/settings/tokens.`,
  );
}

async function whoami(opts: { json?: boolean }): Promise<void> {
  const { apiClient } = await import('../client/context');
  const { print, printJson } = await import('../client/output');
  const api = apiClient();
  const me = await api.get<Me>('/api/v1/me');
  if (opts.json) printJson({ url: api.url, ...me });
  else print(describeMe(me, api.url));
}
