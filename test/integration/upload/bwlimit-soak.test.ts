/**
 * `--bwlimit` soak: an upload whose every part waits on the token bucket and on the socket
 * draining hundreds of times, run as the installed CLI runs, with every process warning turned
 * into an error. Before issue 24 each drain wait left a `close` listener on its request
 * (MaxListenersExceededWarning after 11), and the parts sleeping on the bucket outnumbered the
 * run signal's default listener limit.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, exitOf } from '../../helpers/cli.js';
import { startTestStack, type TestStack } from '../../helpers/stack.js';
import { tempDir } from '../../helpers/tmp.js';
import { generateSession } from '../../../src/features/synthetic/generate.js';
import { expectStored } from '../../helpers/stored.js';

const MiB = 1024 * 1024;
/** Loaded before the CLI: any warning the process emits ends it with exit 99, naming the warning. */
const WARNINGS_ARE_ERRORS = `data:text/javascript,${encodeURIComponent(
  "process.on('warning', (w) => { process.stderr.write('warning turned error: ' + w.name + ': ' + w.message + '\\n'); process.exit(99); });",
)}`;

describe('upload --bwlimit over many parts', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());

  it('emits no process warning (no leaked close or abort listeners) and stores the session bit-identical', async () => {
    const root = tempDir('rp-bw-');
    // 2 x 30 MiB in 6 MiB parts, 16 in flight: each part is 24 throttled slices, each waiting for drain.
    const dir = await generateSession(root, { name: '20210310_100000', files: 2, bytesPerFile: 30 * MiB, seed: 4 });
    const child = spawn(process.execPath, ['--import', WARNINGS_ARE_ERRORS, BIN, 'upload', dir, '--bwlimit', '60M'], {
      env: { PATH: process.env.PATH ?? '', TMPDIR: process.env.TMPDIR ?? '/tmp', ...stack.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const code = await exitOf(child);
    expect(output).not.toMatch(/warning turned error|MaxListenersExceeded/);
    expect(code).toBe(0);
    await expectStored(stack.raw, dir, '20210310_100000');
    expect(readdirSync(dir)).toHaveLength(3);
    expect(readFileSync(join(stack.home, 'logs', 'recpipe.log'), 'utf8')).toContain('"event":"upload.committed"');
  }, 60_000);
});
