import { sinceDate } from './since';

describe('sinceDate', () => {
  const now = new Date('2026-03-31T12:00:00Z');

  it.each([
    ['30d', '2026-03-01T12:00:00.000Z'],
    ['12h', '2026-03-31T00:00:00.000Z'],
    ['2w', '2026-03-17T12:00:00.000Z'],
    ['90m', '2026-03-31T10:30:00.000Z'],
    ['2024-01-31', '2024-01-31T00:00:00.000Z'],
    ['2024-01-31T08:30:00Z', '2024-01-31T08:30:00.000Z'],
    ['2024-01-31T08:30:00+02:00', '2024-01-31T06:30:00.000Z'],
  ])('reads %s', (text, expected) => {
    expect(sinceDate(text, now)?.toISOString()).toBe(expected);
  });

  it.each(['', '30', 'd30', '30 days', '2024-13-45', '2024-01-31T08:30', 'yesterday'])(
    'refuses %j',
    (text) => {
      expect(sinceDate(text, now)).toBeNull();
    },
  );
});
