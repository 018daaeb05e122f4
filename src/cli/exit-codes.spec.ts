import { EXIT, exitCodeForStatus } from './exit-codes';

describe('exitCodeForStatus', () => {
  it.each([
    [200, EXIT.OK],
    [204, EXIT.OK],
    [400, EXIT.USAGE],
    [413, EXIT.USAGE],
    [401, EXIT.FORBIDDEN],
    [403, EXIT.FORBIDDEN],
    [404, EXIT.NOT_FOUND],
    [410, EXIT.NOT_FOUND],
    [409, EXIT.CONFLICT],
    [429, EXIT.SERVER],
    [500, EXIT.SERVER],
    [503, EXIT.SERVER],
    [418, EXIT.FAILED],
  ])('HTTP %i exits %i', (status, code) => {
    expect(exitCodeForStatus(status)).toBe(code);
  });

  it('gives every kind of failure its own code', () => {
    expect(new Set(Object.values(EXIT)).size).toBe(Object.keys(EXIT).length);
  });
});
