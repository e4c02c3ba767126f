/**
 * Fails the run if any test left something in the run's temp dir (see global-setup.ts), naming
 * the leftovers, then removes the dir so even a failing run leaves nothing.
 */
import { readdirSync, rmSync } from 'node:fs';

export default function globalTeardown(): void {
  const dir = process.env.TMPDIR;
  if (!dir || !/recpipe-jest-/.test(dir)) return;
  const left = readdirSync(dir);
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  if (left.length > 0) {
    throw new Error(
      `the tests left ${left.length} entr${left.length === 1 ? 'y' : 'ies'} in the temp dir: ${left.slice(0, 20).join(', ')}${left.length > 20 ? ', ...' : ''}`,
    );
  }
}
