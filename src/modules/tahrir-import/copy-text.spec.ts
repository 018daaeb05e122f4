import { Readable } from 'node:stream';
import { CopyRowBatcher, decodeCopyLine } from './copy-text';

describe('decodeCopyLine (COPY text format)', () => {
  it.each([
    ['plain fields', 'a\tb\tc', ['a', 'b', 'c']],
    ['NULL', 'a\t\\N\t', ['a', null, '']],
    ['escaped tab, newline and backslash', 'x\\ty\t1\\n2\tc:\\\\dir', ['x\ty', '1\n2', 'c:\\dir']],
    ['carriage return, backspace, form feed, vertical tab', '\\r\\b\\f\\v', ['\r\b\f\v']],
    ['octal and hex escapes', '\\101\\x42\\7', ['AB\x07']],
    ['any other escaped character stands for itself', '\\q\\,', ['q,']],
    ['multi-byte text untouched', 'Łódź – ü', ['Łódź – ü']],
    ['a text array literal', '{qa,testing}', ['{qa,testing}']],
  ])('%s', (_name, line, fields) => {
    expect(decodeCopyLine(line)).toEqual(fields);
  });
});

describe('CopyRowBatcher', () => {
  async function batches(chunks: Buffer[], size: number) {
    const out: (string | null)[][][] = [];
    const batcher = Readable.from(chunks).pipe(new CopyRowBatcher(size));
    for await (const b of batcher) out.push(b);
    return out;
  }

  it('splits rows across chunks, keeps multi-byte characters cut by a chunk whole, batches them', async () => {
    const text = Buffer.from('1\tŁódź\n2\t\\N\n3\tü\n4\tz\n5\tend\n');
    // Cut in the middle of "Ł" (two bytes) and in the middle of a row.
    const cut = text.indexOf(Buffer.from('Ł')) + 1;
    const out = await batches(
      [text.subarray(0, cut), text.subarray(cut, 13), text.subarray(13)],
      2,
    );
    expect(out).toEqual([
      [
        ['1', 'Łódź'],
        ['2', null],
      ],
      [
        ['3', 'ü'],
        ['4', 'z'],
      ],
      [['5', 'end']],
    ]);
  });

  it('takes a last row without a newline', async () => {
    expect(await batches([Buffer.from('a\tb\nc\td')], 10)).toEqual([
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ]);
  });
});
