import { safeNext } from './page-access';

describe('safeNext (where to go after login)', () => {
  it.each([
    ['/badge/x', '/badge/x'],
    ['/leaderboard?period=week', '/leaderboard?period=week'],
    ['//evil.example/x', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example/path?q=1', '/path?q=1'],
    ['javascript:alert(1)', '/'],
    ['badge/x', '/'],
    ['/login?next=/x', '/'],
    ['/logout', '/'],
    ['', '/'],
    [undefined, '/'],
    [['/a', '/b'], '/'],
    ['/' + 'x'.repeat(2001), '/'],
  ])('%j → %j', (input, expected) => {
    expect(safeNext(input)).toBe(expected);
  });
});
