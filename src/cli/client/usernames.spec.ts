import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { EXIT } from '../exit-codes';
import { parseUsernames, readUsernames, unique } from './usernames';

describe('account name lists', () => {
  it('takes one name per line, skipping blanks, comments and further columns', () => {
    const text = '# Flock 2026 attendees\nralph\n\n  decause  \r\nbex, Rebecca\nmattdm # keynote\n';
    expect(parseUsernames(text)).toEqual(['ralph', 'decause', 'bex', 'mattdm']);
  });

  it('keeps the first of repeated names', () => {
    expect(unique(['b', 'a', 'b'])).toEqual(['b', 'a']);
  });

  it('merges arguments with a file, or with standard input for -', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accolades-names-'));
    try {
      writeFileSync(join(dir, 'list.txt'), 'ralph\nbex\n');
      expect(await readUsernames(['bex', 'zoe'], join(dir, 'list.txt'))).toEqual([
        'bex',
        'zoe',
        'ralph',
      ]);
      expect(await readUsernames([], '-', Readable.from(['ann\n', 'bo\n']))).toEqual(['ann', 'bo']);
      await expect(readUsernames([], join(dir, 'missing.txt'))).rejects.toMatchObject({
        exitCode: EXIT.USAGE,
      });
      await expect(readUsernames([], '-', Readable.from(['# nobody\n']))).rejects.toThrow(
        'no account names in standard input',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
