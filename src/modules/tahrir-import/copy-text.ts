import { Transform, type TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/**
 * PostgreSQL's COPY text format, for targets that cannot take COPY FROM STDIN (the embedded
 * database): rows arrive as the source's COPY TO output and leave as arrays of field
 * values (null for \N), to be inserted in batches.
 */
export function decodeCopyLine(line: string): (string | null)[] {
  const fields: (string | null)[] = [];
  for (const raw of line.split('\t')) {
    if (raw === '\\N') {
      fields.push(null);
      continue;
    }
    fields.push(raw.includes('\\') ? unescapeField(raw) : raw);
  }
  return fields;
}

const SIMPLE: Record<string, string> = {
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};

function unescapeField(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c !== '\\' || i === raw.length - 1) {
      out += c;
      continue;
    }
    const next = raw[++i];
    if (next in SIMPLE) {
      out += SIMPLE[next];
    } else if (next >= '0' && next <= '7') {
      let digits = next;
      while (digits.length < 3 && raw[i + 1] >= '0' && raw[i + 1] <= '7') digits += raw[++i];
      out += String.fromCharCode(parseInt(digits, 8));
    } else if (next === 'x' && /[0-9a-fA-F]/.test(raw[i + 1] ?? '')) {
      let digits = '';
      while (digits.length < 2 && /[0-9a-fA-F]/.test(raw[i + 1] ?? '')) digits += raw[++i];
      out += String.fromCharCode(parseInt(digits, 16));
    } else {
      // Any other escaped character stands for itself.
      out += next;
    }
  }
  return out;
}

/**
 * Splits a COPY text stream into rows (the format ends every row with a newline and
 * escapes newlines inside values). Emits arrays of decoded rows, `batchSize` at most.
 */
export class CopyRowBatcher extends Transform {
  private rest = '';
  // A chunk may end inside a multi-byte character: the decoder keeps it for the next one.
  private readonly decoder = new StringDecoder('utf8');
  private batch: (string | null)[][] = [];

  constructor(private readonly batchSize: number) {
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const text = this.rest + this.decoder.write(chunk);
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    for (const line of lines) {
      this.batch.push(decodeCopyLine(line));
      if (this.batch.length >= this.batchSize) {
        this.push(this.batch);
        this.batch = [];
      }
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    const rest = this.rest + this.decoder.end();
    if (rest) this.batch.push(decodeCopyLine(rest));
    if (this.batch.length) this.push(this.batch);
    done();
  }
}
