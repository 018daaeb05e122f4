import { invalid, notFound } from '../../common/errors/domain-error';
import { dispositionOf, isDatabaseUnavailable } from './intake.errors';

describe('dispositionOf', () => {
  it('dead-letters invalid messages with the code and reason', () => {
    expect(dispositionOf(invalid('MESSAGE.INVALID', 'no topic'))).toEqual({
      kind: 'dead-letter',
      reason: 'MESSAGE.INVALID: no topic',
    });
  });

  it.each([
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' }],
    [{ message: 'timeout exceeded when trying to connect' }],
    [{ message: 'Connection terminated unexpectedly' }],
    [
      {
        driverError: {
          code: '57P01',
          message: 'terminating connection due to administrator command',
        },
      },
    ],
    [{ code: '57P03', message: 'the database system is starting up' }],
    [{ code: '08006', message: 'connection failure' }],
    [{ code: '3D000', message: 'database "x" does not exist' }],
    [{ code: '55000', message: 'database "x" is not currently accepting connections' }],
  ])('pauses on a database outage: %j', (err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
    expect(dispositionOf(err).kind).toBe('unavailable');
  });

  it.each([
    [new TypeError('x is undefined')],
    [{ code: '23505', message: 'duplicate key value violates unique constraint' }],
    [notFound('BADGE.NOT_FOUND', 'gone')],
    ['a string'],
  ])('retries anything else: %p', (err) => {
    expect(dispositionOf(err).kind).toBe('retry');
  });
});
