import type { Command } from 'commander';
import { buildProgram } from './main';

/** Every command the program has, with its words from the program. */
function commands(cmd: Command, path: string[] = []): [string, Command][] {
  return cmd.commands.flatMap((c) => {
    const p = [...path, c.name()];
    return [[p.join(' '), c] as [string, Command], ...commands(c, p)];
  });
}

const CLIENT = [
  'login',
  'whoami',
  'status',
  'badges list',
  'badges show',
  'badges create',
  'badges update',
  'tags',
  'series list',
  'series show',
  'award',
  'revoke',
  'users show',
  'leaderboard',
  'rules test',
];

/** The text `--help` prints, without printing it. */
function helpOf(cmd: Command): string {
  let text = '';
  cmd.configureOutput({ writeOut: (s) => (text += s) });
  cmd.outputHelp();
  return text;
}

describe('the accolades program', () => {
  const all = commands(buildProgram());

  it('gives examples in the help of every command that runs something', () => {
    const leaves = all.filter(([, c]) => c.commands.length === 0);
    expect(leaves.length).toBeGreaterThan(20);
    const without = leaves.filter(([, c]) => !helpOf(c).includes('\nExamples:\n  $ '));
    expect(without.map(([p]) => p)).toEqual([]);
  });

  it('has --json on every client command', () => {
    const byPath = new Map(all);
    for (const path of CLIENT) {
      const cmd = byPath.get(path);
      expect({ path, json: cmd?.options.some((o) => o.long === '--json') }).toEqual({
        path,
        json: true,
      });
    }
  });
});
