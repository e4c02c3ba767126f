import type { Clock } from '../../core/ports.js';

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
