import { CliError, EXIT } from '../exit-codes';
import { readInput } from './files';

/**
 * Account names from a list file: one per line; blank lines and `#` comments are skipped,
 * as is anything after the name on its line (a list exported with a second column works).
 */
export function parseUsernames(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map(
      (line) =>
        line
          .replace(/#.*/, '')
          .trim()
          .split(/[\s,;]+/)[0],
    )
    .filter(Boolean);
}

/** Each name once, in first-seen order (lists merged from arguments and a file repeat names). */
export function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}

/** The names given as arguments plus those of `--file` (`-` = standard input). */
export async function readUsernames(
  args: readonly string[],
  file: string | undefined,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<string[]> {
  const names = [...args];
  if (file) names.push(...parseUsernames(await readInput(file, stdin)));
  const list = unique(names);
  if (!list.length)
    throw new CliError(
      file
        ? `no account names in ${file === '-' ? 'standard input' : file}`
        : 'name at least one person, or give --file',
      EXIT.USAGE,
    );
  return list;
}
