import { expiresOn } from './expires';

describe('expiresOn', () => {
  const now = new Date('2026-08-08T10:00:00.000Z');

  it.each([
    ['90m', '2026-08-08T11:30:00.000Z'],
    ['12h', '2026-08-08T22:00:00.000Z'],
    ['3d', '2026-08-11T10:00:00.000Z'],
    ['+3d', '2026-08-11T10:00:00.000Z'],
    ['2w', '2026-08-22T10:00:00.000Z'],
  ])('turns the duration %s into a time from now', (text, expected) => {
    expect(expiresOn(text, now)).toBe(expected);
  });

  it.each([['2026-08-10'], ['2026-08-10T18:00'], ['2026-08-10T18:00:00+02:00'], ['soon'], ['3y']])(
    'leaves %s for the server to judge',
    (text) => {
      expect(expiresOn(` ${text} `, now)).toBe(text);
    },
  );
});
