/** A settable clock for tests: `now()` returns the set time; `sleep` advances it instantly. */
import type { Clock } from '../../core/ports.js';

export class ManualClock implements Clock {
  private t: number;

  constructor(start: Date | string = '2026-01-01T00:00:00.000Z') {
    this.t = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.t);
  }

  async sleep(ms: number): Promise<void> {
    this.t += ms;
  }

  advance(ms: number): void {
    this.t += ms;
  }
}

/**
 * The wall clock. `sleep` removes its abort listener when the timer fires: a daemon that sleeps
 * on one long-lived signal every few seconds for months must not grow that signal's listeners.
 */
export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise((res, rej) => {
      if (signal?.aborted) {
        rej(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(t);
        rej(signal?.reason);
      };
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        res();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
