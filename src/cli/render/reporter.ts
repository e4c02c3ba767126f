/**
 * Reporters: the one channel for user-facing output while a command runs.
 * TTY: an ora spinner with progress; plain: one line per step; json: silent (the result is
 * the only thing printed, by the CLI edge).
 */
import type { Writable } from 'node:stream';
import type { Reporter } from '../../core/ports.js';

/** The silent reporter lives with the Reporter port (src/features/ui and others use it too). */
export { silentReporter } from '../../core/ports.js';

/** syslog priorities journald reads from a `<N>` line prefix (sd-daemon(3)). */
const PRIORITY = { error: 3, warning: 4, info: 6 } as const;

/**
 * Plain lines on stderr: for logs, pipes, CI and journald. Progress is printed at most every 10%.
 * No cursor codes, whatever the terminal. With `journal`, each line starts with its syslog
 * priority (`<4>` for warnings), so `journalctl -p warning` finds them.
 */
export class LineReporter implements Reporter {
  private current = '';
  private lastDecile = -1;
  constructor(
    private readonly out: Writable,
    private readonly journal = false,
  ) {}
  step(message: string): void {
    this.current = message;
    this.lastDecile = -1;
    this.line('info', message);
  }
  progress(fraction: number, label?: string): void {
    const decile = Math.floor(Math.min(1, Math.max(0, fraction)) * 10);
    if (decile === this.lastDecile) return;
    this.lastDecile = decile;
    this.line('info', `  ${decile * 10}%${label ? ` ${label}` : ''}`);
  }
  info(message: string): void {
    this.line('info', message);
  }
  warn(message: string): void {
    this.line('warning', `warning: ${message}`);
  }
  succeed(message?: string): void {
    const text = message ?? this.current;
    if (text) this.line('info', `ok: ${text}`);
    this.current = '';
  }
  fail(message?: string): void {
    const text = message ?? this.current;
    if (text) this.line('error', `failed: ${text}`);
    this.current = '';
  }
  private line(level: keyof typeof PRIORITY, text: string): void {
    this.out.write(this.journal ? `<${PRIORITY[level]}>${text}\n` : `${text}\n`);
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
  /**
   * Stops a spinner whose step never ended (a signal cut it short), leaving its last text as a
   * warning line. A spinner left running redraws over the command's result and its timer (and
   * ora's raw-mode stdin) keep the process from exiting.
   */
  halt(): void {
    if (this.spinner?.isSpinning) this.spinner.warn();
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
