import { ConcurrentChangeError, withTransactionRetry } from './transaction-retry';

describe('withTransactionRetry', () => {
  it('runs again after a deadlock or serialization failure, and returns the result', async () => {
    const codes = ['40P01', '40001'];
    let calls = 0;
    const result = await withTransactionRetry(async () => {
      calls++;
      const code = codes.shift();
      if (code) throw Object.assign(new Error('aborted'), { driverError: { code } });
      return 'done';
    });
    expect(result).toBe('done');
    expect(calls).toBe(3);
  });

  it('gives up after the attempts and rethrows the last error', async () => {
    let calls = 0;
    await expect(
      withTransactionRetry(async () => {
        calls++;
        throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
      }, 3),
    ).rejects.toThrow('deadlock detected');
    expect(calls).toBe(3);
  });

  it('does not retry other errors', async () => {
    let calls = 0;
    await expect(
      withTransactionRetry(async () => {
        calls++;
        throw Object.assign(new Error('duplicate'), { code: '23505' });
      }),
    ).rejects.toThrow('duplicate');
    expect(calls).toBe(1);
  });

  it('runs again after a transaction rolled itself back on finding a concurrent change', async () => {
    let calls = 0;
    const result = await withTransactionRetry(async () => {
      if (++calls === 1) throw new ConcurrentChangeError('awarded meanwhile by another replica');
      return calls;
    });
    expect(result).toBe(2);
  });
});
