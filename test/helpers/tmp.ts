/**
 * Tests clean up what they create (issue 14 item 6). Temp folders, servers and child processes
 * register here and are removed or stopped, newest first, when the test file ends; stopping is
 * idempotent, so a file's own afterAll that stops the same thing again does no harm. The run as a
 * whole is checked by test/global-teardown.ts, which fails if anything is left in the run's
 * private temp dir.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Cleanup = () => unknown;
const cleanups: Cleanup[] = [];

afterAll(async () => {
  const errors: unknown[] = [];
  while (cleanups.length > 0) {
    try {
      await cleanups.pop()!();
    } catch (e) {
      errors.push(e);
    }
  }
  if (errors.length > 0) throw new AggregateError(errors, `${errors.length} cleanup(s) failed`);
});

/** Runs `fn` when the current test file ends (newest registration first). */
export function onCleanup(fn: Cleanup): void {
  cleanups.push(fn);
}

/** A fresh folder under the system temp dir, removed when the test file ends. */
export function tempDir(prefix = 'rp-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onCleanup(() => rmSync(dir, { recursive: true, force: true, maxRetries: 3 }));
  return dir;
}

/** Wraps a stop function so it runs once, however many times it is called. */
export function once(stop: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= stop());
}
