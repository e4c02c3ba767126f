/**
 * Gives the whole test run a private temp dir (TMPDIR, which os.tmpdir() reads, also handed to
 * child processes by test/helpers/cli.ts), so global-teardown.ts can tell what this run left
 * behind without confusing it with other runs on the machine.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function globalSetup(): void {
  process.env.TMPDIR = mkdtempSync(join(tmpdir(), 'recpipe-jest-'));
}
