/**
 * What the outbox loop sleeps on between drains: woken early by `notify`, and a notify
 * that comes while the loop is busy (not waiting) is remembered, so the next `wait` returns
 * at once. Without that memory, an award committed during a drain — too late for its lease
 * query — waited for the next commit or the idle timeout before being published.
 */
export class Wakeup {
  private pending = false;
  private wake: (() => void) | null = null;

  notify(): void {
    this.pending = true;
    this.wake?.();
  }

  /** Forgets earlier notifies: called before the work that answers them starts. */
  clear(): void {
    this.pending = false;
  }

  /** Resolves on a notify (also one since the last `clear`) or after `ms`. */
  wait(ms: number): Promise<void> {
    if (this.pending) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.resolveWith(resolve), ms);
      this.wake = () => {
        clearTimeout(timer);
        this.resolveWith(resolve);
      };
    });
  }

  private resolveWith(resolve: () => void): void {
    this.wake = null;
    resolve();
  }
}
