import { DomainError } from '../../common/errors/domain-error';
import { parseExpiry } from './expiry';

const NOW = Date.parse('2026-06-01T12:00:00Z');

describe('parseExpiry', () => {
  it.each([
    ['2026-06-02', '2026-06-02T23:59:59.000Z'],
    ['2026-06-01', '2026-06-01T23:59:59.000Z'],
    ['2026-06-01T18:30', '2026-06-01T18:30:00.000Z'],
    ['2026-06-01 18:30:15', '2026-06-01T18:30:15.000Z'],
    ['2026-06-01T18:30:00Z', '2026-06-01T18:30:00.000Z'],
    ['2026-06-01T18:30:00+02:00', '2026-06-01T16:30:00.000Z'],
    [' 2026-07-01T00:00:00.5Z ', '2026-07-01T00:00:00.500Z'],
  ])('reads %j as %s', (input, expected) => {
    expect(parseExpiry(input, NOW).toISOString()).toBe(expected);
  });

  it.each([
    ['2026-05-31', 'The expiry must be in the future.'],
    ['2026-06-01T11:59Z', 'The expiry must be in the future.'],
    ['tomorrow', 'Give a date (YYYY-MM-DD) or a date and time (UTC).'],
    ['2026-13-45', 'Give a date (YYYY-MM-DD) or a date and time (UTC).'],
    ['', 'Give a date (YYYY-MM-DD) or a date and time (UTC).'],
  ])('refuses %j: %s', (input, message) => {
    let error: unknown;
    try {
      parseExpiry(input, NOW);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).fields).toEqual([{ field: 'expires_on', errors: [message] }]);
  });
});
