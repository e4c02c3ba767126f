/**
 * Gives the whole test run a private temp dir (TMPDIR, which os.tmpdir() reads, also handed to
 * child processes by test/helpers/cli.ts), so global-teardown.ts can tell what this run left
 * behind without confusing it with other runs on the machine.
 * Node 22+ tools (tsc 5.7+ among them) turn on Node's module compile cache, kept in
 * os.tmpdir()/node-compile-cache; NODE_DISABLE_COMPILE_CACHE keeps every child from writing one
 * there, so what is left in the dir is what a test left.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function globalSetup(): void {
  process.env.TMPDIR = mkdtempSync(join(tmpdir(), 'recpipe-jest-'));
  process.env.NODE_DISABLE_COMPILE_CACHE = '1';
}
