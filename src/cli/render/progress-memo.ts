/**
 * A reporter that passes everything on and remembers where the work got to: the current step,
 * its last progress label, and the steps that ended well. When a signal stops a command, this is
 * what it tells the user was done.
 */
import type { Reporter } from '../../core/ports.js';

export class ProgressMemo implements Reporter {
  /** The step under way (undefined between steps). */
  current: string | undefined;
  /** The last progress label of the current step, e.g. "38.8 MB of 64.0 MB". */
  label: string | undefined;
  /** The last progress fraction of the current step. */
  fraction = 0;
  /** Messages of the steps that succeeded, in order. */
  readonly done: string[] = [];

  constructor(private readonly inner: Reporter) {}

  step(message: string): void {
    this.current = message;
    this.label = undefined;
    this.fraction = 0;
    this.inner.step(message);
  }
  progress(fraction: number, label?: string): void {
    this.fraction = fraction;
    this.label = label;
    this.inner.progress(fraction, label);
  }
  info(message: string): void {
    this.inner.info(message);
  }
  warn(message: string): void {
    this.inner.warn(message);
  }
  succeed(message?: string): void {
    const m = message ?? this.current;
    if (m) this.done.push(m);
    this.current = undefined;
    this.inner.succeed(message);
  }
  fail(message?: string): void {
    this.current = undefined;
    this.inner.fail(message);
  }
}
