import { PassThrough } from 'node:stream';
import { logProgress, terminalProgress } from './progress';

describe('logProgress (not a terminal)', () => {
  it('writes a line when a phase starts, while it runs (rows/s, ETA) and when it ends', () => {
    const lines: string[] = [];
    const p = logProgress((l) => lines.push(l), 0);
    p.start('read assertions', 1_000_000);
    p.advance(250_000);
    p.finish();
    p.note('Recomputing ranks');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/read assertions: 1,000,000 rows$/);
    expect(lines[1]).toMatch(
      /read assertions: 250,000\/1,000,000 rows \([\d,]+ rows\/s, ETA \d+ s\)$/,
    );
    expect(lines[2]).toMatch(/read assertions: done, 250,000 rows in [\d.]+ s \([\d,]+ rows\/s\)$/);
    expect(lines[3]).toMatch(/Z Recomputing ranks$/);
  });

  it('stays quiet for phases without rows, and between intervals', () => {
    const lines: string[] = [];
    const p = logProgress((l) => lines.push(l), 60_000);
    p.start('read team', 0);
    p.advance(0);
    p.finish();
    p.start('read persons', 10);
    p.advance(5);
    expect(lines).toEqual([expect.stringMatching(/read persons: 10 rows$/)]);
  });
});

describe('terminalProgress', () => {
  it('draws a bar with rows, rows per second and ETA', () => {
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 160 });
    let out = '';
    stream.on('data', (d) => (out += d));
    const p = terminalProgress(stream as unknown as NodeJS.WriteStream);
    p.start('write assertions', 2_000);
    p.advance(1_000);
    p.finish();
    expect(out).toMatch(
      /write assertions\s+\[[^\]]+\] 50% \| 1,000\/2,000 rows \| [\d,]+ rows\/s \| ETA/,
    );
  });

  it('counts what it is told to count (people of a bulk award)', () => {
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 160 });
    let out = '';
    stream.on('data', (d) => (out += d));
    const p = terminalProgress(stream as unknown as NodeJS.WriteStream, 'people');
    p.start('awarded', 4);
    p.advance(1);
    p.finish();
    expect(out).toMatch(/awarded\s+\[[^\]]+\] 25% \| 1\/4 people \| [\d,]+ people\/s/);
  });
});
