/**
 * Reporters: the one channel for user-facing output while a command runs.
 * TTY: an ora spinner with progress; plain: one line per step; json: silent (the result is
 * the only thing printed, by the CLI edge).
 */
import type { Writable } from 'node:stream';
import type { Reporter } from '../../core/ports.js';

/** The silent reporter lives with the Reporter port (src/ui and others use it too). */
export { silentReporter } from '../../core/ports.js';

/** Plain lines on stderr: for logs, pipes and CI. Progress is printed at most every 10%. */
export class LineReporter implements Reporter {
  private current = '';
  private lastDecile = -1;
  constructor(private readonly out: Writable) {}
  step(message: string): void {
    this.current = message;
    this.lastDecile = -1;
    this.out.write(`${message}\n`);
  }
  progress(fraction: number, label?: string): void {
    const decile = Math.floor(Math.min(1, Math.max(0, fraction)) * 10);
    if (decile === this.lastDecile) return;
    this.lastDecile = decile;
    this.out.write(`  ${decile * 10}%${label ? ` ${label}` : ''}\n`);
  }
  info(message: string): void {
    this.out.write(`${message}\n`);
  }
  warn(message: string): void {
    this.out.write(`warning: ${message}\n`);
  }
  succeed(message?: string): void {
    const text = message ?? this.current;
    if (text) this.out.write(`ok: ${text}\n`);
    this.current = '';
  }
  fail(message?: string): void {
    const text = message ?? this.current;
    if (text) this.out.write(`failed: ${text}\n`);
    this.current = '';
  }
}

/** An ora spinner on a TTY. ora is imported lazily by the caller and passed in. */
export class SpinnerReporter implements Reporter {
  private spinner:
    | {
        text: string;
        start(t?: string): unknown;
        succeed(t?: string): unknown;
        fail(t?: string): unknown;
        warn(t?: string): unknown;
        info(t?: string): unknown;
        stop(): unknown;
        isSpinning: boolean;
      }
    | undefined;
  private text = '';
  constructor(private readonly make: (text: string) => NonNullable<SpinnerReporter['spinner']>) {}
  step(message: string): void {
    if (this.spinner?.isSpinning) this.spinner.succeed();
    this.text = message;
    this.spinner = this.make(message);
    this.spinner.start();
  }
  progress(fraction: number, label?: string): void {
    if (!this.spinner) return;
    const pct = Math.round(Math.min(1, Math.max(0, fraction)) * 100);
    this.spinner.text = `${this.text} ${bar(fraction)} ${pct}%${label ? ` ${label}` : ''}`;
  }
  info(message: string): void {
    this.pause(() => this.make(message).info(message));
  }
  warn(message: string): void {
    this.pause(() => this.make(message).warn(message));
  }
  succeed(message?: string): void {
    this.spinner?.succeed(message ?? this.text);
    this.spinner = undefined;
  }
  fail(message?: string): void {
    this.spinner?.fail(message ?? this.text);
    this.spinner = undefined;
  }
  private pause(fn: () => void): void {
    const s = this.spinner;
    if (s?.isSpinning) s.stop();
    fn();
    if (s) s.start();
  }
}

export function bar(fraction: number, width = 20): string {
  const n = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return '[' + '#'.repeat(n) + '-'.repeat(width - n) + ']';
}
