import { Wakeup } from './wakeup';

describe('Wakeup', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const settled = async (p: Promise<void>): Promise<boolean> => {
    let done = false;
    void p.then(() => (done = true));
    await Promise.resolve();
    await Promise.resolve();
    return done;
  };

  it('sleeps until the timeout when nobody notifies', async () => {
    const w = new Wakeup();
    const sleeping = w.wait(500);
    jest.advanceTimersByTime(499);
    expect(await settled(sleeping)).toBe(false);
    jest.advanceTimersByTime(1);
    expect(await settled(sleeping)).toBe(true);
  });

  it('wakes at once on a notify while waiting', async () => {
    const w = new Wakeup();
    const sleeping = w.wait(500);
    w.notify();
    expect(await settled(sleeping)).toBe(true);
  });

  it('remembers a notify that came while nobody waited (the loop was draining)', async () => {
    const w = new Wakeup();
    w.clear(); // a drain starts
    w.notify(); // an award commits during it
    expect(await settled(w.wait(500))).toBe(true);
  });

  it('forgets notifies answered by the work that follows clear', async () => {
    const w = new Wakeup();
    w.notify();
    w.clear();
    const sleeping = w.wait(500);
    expect(await settled(sleeping)).toBe(false);
    jest.advanceTimersByTime(500);
    expect(await settled(sleeping)).toBe(true);
  });
});
