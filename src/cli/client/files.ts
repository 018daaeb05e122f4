import { readFile } from 'node:fs/promises';
import { CliError, EXIT } from '../exit-codes';

/** Everything a stream holds, as text (standard input piped to a command). */
export async function readText(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  stream.setEncoding('utf8');
  for await (const chunk of stream) text += chunk as string;
  return text;
}

/** A file a command was given, `-` being standard input; a file that cannot be read is a usage error. */
export async function readInput(
  file: string,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<string> {
  if (file === '-') return readText(stdin);
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`, EXIT.USAGE);
  }
}
