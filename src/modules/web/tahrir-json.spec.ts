import { tahrirBadge, tahrirPercentile, tahrirTags, unixSeconds } from './tahrir-json';

describe("Tahrir's JSON quirks", () => {
  it('writes tags as a comma-separated string with a trailing comma', () => {
    expect(tahrirTags(['qa', 'bodhi'])).toBe('qa,bodhi,');
    expect(tahrirTags([])).toBe('');
  });

  it('gives dates as Unix seconds', () => {
    expect(unixSeconds(new Date('2020-03-04T10:00:00.500Z'))).toBe(1583316000.5);
    expect(unixSeconds(null)).toBeNull();
  });

  it.each([
    [1, 1000, '0.1000'],
    [32, 1000, '3.2000'],
    [1, 3, '33.3400'], // Python's ROUND_UP at 4 decimals, then * 100
    [3, 3, '100.0000'],
    [1, 0, '0'],
  ])('percentile of rank %d among %d is %s', (rank, users, text) => {
    expect(tahrirPercentile(rank, users)).toBe(text);
  });

  it('fills every field of a badge, with nulls when nobody holds it', () => {
    const badge = {
      id: 'tester',
      name: 'Tester',
      description: 'd',
      holdersCount: 0,
      tags: ['qa'],
    };
    expect(tahrirBadge(badge, 'https://x/pngs/t.png', undefined, 10)).toEqual({
      id: 'tester',
      name: 'Tester',
      description: 'd',
      times_awarded: 0,
      last_awarded: null,
      last_awarded_person: null,
      first_awarded: null,
      first_awarded_person: null,
      percent_earned: 0,
      image: 'https://x/pngs/t.png',
      tags: 'qa,',
    });
  });
});
