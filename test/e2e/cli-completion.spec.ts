import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, runCommand } from '../support/cli';

/**
 * The completion scripts of the built command, loaded into real bash and zsh (Debian's
 * packages; .ci/run installs zsh) and asked what they complete.
 */
describe('accolades completion', () => {
  let dir: string;
  let bash: string;
  let zsh: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'accolades-completion-'));
    for (const shell of ['bash', 'zsh']) {
      const r = await runCli(['completion', shell]);
      expect(r.code).toBe(0);
      writeFileSync(join(dir, shell), r.stdout);
    }
    bash = join(dir, 'bash');
    zsh = join(dir, 'zsh');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** What bash completes for the words typed so far (the last one being completed). */
  async function bashCompletes(...words: string[]): Promise<string[]> {
    const script = [
      `source ${bash}`,
      'COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()',
      '_accolades',
      'printf "%s\\n" "${COMPREPLY[@]}"',
    ].join('\n');
    const r = await runCommand('bash', ['-c', script, 'bash', ...words]);
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter(Boolean);
  }

  /** What zsh completes, with compsys's functions replaced by ones that print what they get. */
  async function zshCompletes(...words: string[]): Promise<string[]> {
    const script = [
      'compdef() { : }',
      '_describe() { print -rl -- "${(@P)${@[-1]}}" }',
      'compadd() { print -rl -- "${(@P)2}" }',
      '_files() { print -r -- "<files>" }',
      `source ${zsh}`,
      'words=("$@"); CURRENT=${#words}',
      '_accolades',
    ].join('\n');
    const r = await runCommand('zsh', ['-f', '-c', script, 'zsh', ...words]);
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter(Boolean);
  }

  it('bash: commands, subcommands, options and their values', async () => {
    const top = await bashCompletes('accolades', '');
    expect(top).toEqual(
      expect.arrayContaining([
        'serve',
        'login',
        'whoami',
        'status',
        'badges',
        'award',
        'revoke',
        'users',
        'leaderboard',
        'series',
        'tags',
        'rules',
        'completion',
      ]),
    );
    expect(await bashCompletes('accolades', 'ba')).toEqual(['badges']);
    expect(await bashCompletes('accolades', 'badges', '')).toEqual([
      'list',
      'show',
      'create',
      'update',
      'help',
    ]);
    expect(await bashCompletes('accolades', 'rules', 't')).toEqual(['test']);
    expect(await bashCompletes('accolades', 'award', 'flock-2026', '--y')).toEqual(['--yes']);
    expect(await bashCompletes('accolades', 'leaderboard', '--period', '')).toEqual([
      'all',
      'year',
      'month',
      'week',
      'day',
    ]);
    // The value of --tag is not taken for a command; after it, list's options still complete.
    expect(await bashCompletes('accolades', 'badges', 'list', '--tag', 'list', '--so')).toEqual([
      '--sort',
    ]);
  });

  it('zsh: commands with descriptions, options, values, files where a file goes', async () => {
    const top = await zshCompletes('accolades', '');
    expect(top).toEqual(
      expect.arrayContaining([
        'award:award a badge to people (preview, then confirm)',
        'badges:list, show, create and change badges',
      ]),
    );
    expect(await zshCompletes('accolades', 'series', '')).toEqual([
      'list:every series, with its number of badges',
      'show:a series and its badges in order',
      'help:display help for command',
    ]);
    expect(await zshCompletes('accolades', 'leaderboard', '--period', '')).toEqual([
      'all',
      'year',
      'month',
      'week',
      'day',
    ]);
    expect(await zshCompletes('accolades', 'award', 'x', '-f', '')).toEqual(['<files>']);
    expect(await zshCompletes('accolades', 'whoami', '--')).toEqual(
      expect.arrayContaining([
        '--json:print the result as JSON (for scripts)',
        '--help:display help for command',
      ]),
    );
  });

  it('zsh: sourced, the script registers itself', async () => {
    const r = await runCommand('zsh', [
      '-f',
      '-c',
      `compdef() { print -r -- "compdef $*" }; source ${zsh}`,
    ]);
    expect(r.stdout).toBe('compdef _accolades accolades\n');
  });

  it('refuses other shells', async () => {
    const r = await runCli(['completion', 'fish']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("value 'fish' is invalid for argument 'shell'");
  });
});
