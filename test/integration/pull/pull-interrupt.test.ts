/**
 * An interrupted pull, as a person or systemd stops it (SIGINT, SIGTERM on the installed
 * command): it says what it did and the command that resumes it, exits 130, leaves no lock and
 * no partial file of a small output, and the resumed run finishes without fetching again what
 * was staged.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { exitOf, runCli, spawnCli, waitFor } from '../../helpers/cli.js';
import { writeCatalog, writeFixtureOutputs } from '../../helpers/catalog-fixture.js';
import { startTestStack, type TestStack } from '../../helpers/stack.js';
import { tempDir } from '../../helpers/tmp.js';
import { LOCK_FILE } from '../../../src/features/pull/dest-lock.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
  await writeCatalog(stack.lake);
  await writeFixtureOutputs(stack.lake);
});
afterAll(() => stack.stop());

const partials = (d: string): string[] =>
  readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? partials(join(d, e.name)) : /\.part(\.ranges)?$/.test(e.name) ? [e.name] : []));

describe.each(['SIGINT', 'SIGTERM'] as const)('a pull stopped by %s', (signal) => {
  it('says what was done and how to resume, exits 130, and the resumed run completes', async () => {
    const dest = tempDir('rp-interrupt-');
    // The third session's outputs are held (no timer: released by the test): the pull is stopped on them.
    const held: (() => void)[] = [];
    const sleep = stack.s3.faults.sleep;
    stack.s3.faults.sleep = () => new Promise<void>((r) => held.push(r));
    stack.s3.faults.add({
      match: { bucket: stack.info.buckets.lake, keyPrefix: 'processed/default/1/rig-b/20210210_120000' },
      action: { type: 'delay', ms: 1 },
    });
    try {
      const child = spawnCli(['pull', 'fatigue>=1', '--dest', dest, '--concurrency', '1'], stack.env);
      await waitFor(() => held.length > 0, 20_000, 'the pull to reach the held files');
      child.kill(signal);
      expect(await exitOf(child)).toBe(130);
      expect(child.output()).toMatch(/error: interrupted: 4 of 8 files downloaded \(.* of .*\) into /);
      expect(child.output()).toContain(`fix: resume with: recpipe pull 'fatigue>=1' --dest ${dest}`);
      expect(existsSync(join(dest, LOCK_FILE))).toBe(false);
      expect(partials(dest)).toEqual([]);
    } finally {
      stack.s3.faults.clear();
      stack.s3.faults.sleep = sleep;
      held.forEach((release) => release());
    }
    const resumed = await runCli(['--json', 'pull', 'fatigue>=1', '--dest', dest], stack.env);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.out).skipped).toBe(4);
    expect(JSON.parse(resumed.out).downloaded + JSON.parse(resumed.out).skipped).toBe(8);
  });
});
