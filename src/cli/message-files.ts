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
    const list = Array.isArray(doc)
      ? doc
      : ((doc as { raw_messages?: unknown[] }).raw_messages ?? [doc]);
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
    yield { where: `${file}:${n}`, value };
  }
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
