import { readFile } from 'node:fs/promises';
import { CliError, EXIT } from '../exit-codes';

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

/** Everything a stream holds, as text (standard input piped to a command). */
export async function readText(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  stream.setEncoding('utf8');
  for await (const chunk of stream) text += chunk as string;
  return text;
}

/** The names given as arguments plus those of `--file` (`-` = standard input). */
export async function readUsernames(
  args: readonly string[],
  file: string | undefined,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<string[]> {
  const names = [...args];
  if (file === '-') names.push(...parseUsernames(await readText(stdin)));
  else if (file) {
    try {
      names.push(...parseUsernames(await readFile(file, 'utf8')));
    } catch (err) {
      throw new CliError(`cannot read ${file}: ${(err as Error).message}`, EXIT.USAGE);
    }
  }
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
