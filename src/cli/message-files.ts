import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';

export interface RawMessage {
  /** Where it came from, for error messages (`file:line` or `file#index`). */
  where: string;
  value: unknown;
}

/**
 * Messages from a file: JSON lines (one datagrepper envelope or fedora-messaging message
 * per line, blank lines skipped), or one JSON document that is an array of them or a
 * datagrepper page (`{"raw_messages": [...]}`). A line that is not JSON is yielded as an
 * error value, so the caller decides whether to stop or go on.
 */
export async function* readMessageFile(file: string): AsyncGenerator<RawMessage> {
  if (await isJsonDocument(file)) {
    const doc = JSON.parse(await readFile(file, 'utf8')) as unknown;
    const list = manyOf(doc) ?? [doc];
    for (const [i, value] of list.entries()) yield { where: `${file}#${i + 1}`, value };
    return;
  }
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      value = new SyntaxError(`not JSON: ${(err as Error).message}`);
    }
    // A datagrepper page or an array on one line holds several messages.
    const many = manyOf(value);
    if (many)
      for (const [i, v] of many.entries()) yield { where: `${file}:${n}#${i + 1}`, value: v };
    else yield { where: `${file}:${n}`, value };
  }
}

function manyOf(value: unknown): unknown[] | null {
  if (Array.isArray(value)) return value;
  const page = (value as { raw_messages?: unknown } | null)?.raw_messages;
  return Array.isArray(page) ? page : null;
}

/** Lines in a file (a progress total), counted without parsing. */
export async function countLines(file: string): Promise<number> {
  let n = 0;
  for await (const chunk of createReadStream(file)) {
    for (const byte of chunk as Buffer) if (byte === 10) n++;
  }
  return n;
}

/** A JSON document rather than JSON lines: starts with `[`, or its first line is not whole JSON. */
async function isJsonDocument(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const head = buf.subarray(0, bytesRead).toString('utf8').trimStart();
    if (head.startsWith('[')) return true;
    const firstLine = head.split('\n', 1)[0];
    try {
      JSON.parse(firstLine);
      return false;
    } catch {
      return head.startsWith('{');
    }
  } finally {
    await handle.close();
  }
}
