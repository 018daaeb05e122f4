import type { Command } from 'commander';

/**
 * Adds an "Examples:" section to a command's --help. Each entry is a command line, with an
 * optional `# comment` after it.
 */
export function withExamples(cmd: Command, lines: string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
}
