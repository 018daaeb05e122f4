import { PassThrough } from 'node:stream';
import { day, fields, plural, printJson, table, truncate } from './output';

describe('table', () => {
  it('pads columns to the widest cell, numbers to the right, no trailing blanks', () => {
    expect(
      table(
        ['ID', 'AWARDED', 'NAME'],
        [
          ['tester-i', 120, 'Tester I'],
          ['flock-2026', 7, 'Flock 2026'],
        ],
      ),
    ).toBe(
      [
        'ID          AWARDED  NAME',
        'tester-i        120  Tester I',
        'flock-2026        7  Flock 2026',
      ].join('\n'),
    );
  });

  it('shows empty cells as a dash and counts characters, not bytes', () => {
    expect(
      table(
        ['A', 'B'],
        [
          ['é', null],
          ['', 'x'],
        ],
      ),
    ).toBe('A  B\né  -\n-  x');
  });

  it('prints only the header for no rows', () => {
    expect(table(['RANK', 'USER'], [])).toBe('RANK  USER');
  });
});

describe('fields, truncate, plural, day', () => {
  it('aligns labels', () => {
    expect(
      fields([
        ['Name', 'Tester I'],
        ['Awarded', 3],
        ['Tags', ''],
      ]),
    ).toBe('Name     Tester I\nAwarded  3\nTags     -');
  });

  it('cuts long text with an ellipsis', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
  });

  it('says 1 badge, 2 badges, 1,000 people', () => {
    expect(plural(1, 'badge')).toBe('1 badge');
    expect(plural(2, 'badge')).toBe('2 badges');
    expect(plural(1000, 'person', 'people')).toBe('1,000 people');
  });

  it('shows the day of an ISO date', () => {
    expect(day('2024-01-31T23:59:00.000Z')).toBe('2024-01-31');
    expect(day(null)).toBeNull();
  });
});

describe('printJson', () => {
  it('writes parseable, indented JSON and a newline', () => {
    const out = new PassThrough();
    let written = '';
    out.on('data', (d) => (written += d));
    printJson({ a: [1] }, out);
    expect(written).toBe('{\n  "a": [\n    1\n  ]\n}\n');
    expect(JSON.parse(written)).toEqual({ a: [1] });
  });
});
