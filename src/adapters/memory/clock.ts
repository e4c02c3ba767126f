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
