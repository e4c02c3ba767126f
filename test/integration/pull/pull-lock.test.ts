import { createHash } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { startTestStack, type TestStack } from '../../helpers/stack.js';
import { exitOf, runCli, spawnCli } from '../../helpers/cli.js';
import { LOCK_FILE } from '../../../src/features/pull/dest-lock.js';
import type { PullItem } from '../../../src/features/pull/plan.js';
import { onCleanup } from '../../helpers/tmp.js';
import { tempDir } from '../../helpers/tmp.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let stack: TestStack;
let items: PullItem[];
let work: string;
let input: string;

beforeAll(async () => {
  stack = await startTestStack();
  work = tempDir('rp-pull-lock-');
  items = [];
  for (let i = 0; i < 8; i++) {
    const body = Buffer.alloc(300_000 + i, i + 1);
    const file = `out_${i}.npy`;
    const key = `processed/default/1/rig-a/20210401_090000/${file}`;
    await stack.lake.put(key, body);
    items.push({ session_id: 'rig-a/20210401_090000', pipeline: 'default', pipeline_version: '1', key, file, bytes: body.length, sha256: sha(body) });
  }
  input = join(work, 'files.json');
  writeFileSync(input, JSON.stringify({ files: items }));
});
afterAll(async () => {
  await stack.stop();
  rmSync(work, { recursive: true, force: true });
});

const staged = (dest: string) => join(dest, 'rig-a', '20210401_090000', 'default', '1');

describe('two recpipe pull runs into one folder', () => {
  it('both end cleanly (the second waits for the first) and the folder is complete', async () => {
    const dest = join(work, 'both');
    const a = spawnCli(['pull', '--input', input, '--dest', dest], stack.env);
    const b = spawnCli(['pull', '--input', input, '--dest', dest], stack.env);
    const codes = await Promise.all([exitOf(a), exitOf(b)]);
    expect({ codes, output: codes.some((c) => c !== 0) ? a.output() + b.output() : '' }).toEqual({ codes: [0, 0], output: '' });
    for (const f of items) expect(sha(readFileSync(join(staged(dest), f.file)))).toBe(f.sha256);
    expect(readdirSync(staged(dest)).filter((n) => !n.endsWith('.npy'))).toEqual([]);
    expect(existsSync(join(dest, LOCK_FILE))).toBe(false);
    const state = JSON.parse(readFileSync(join(dest, '.recpipe-pull-state.json'), 'utf8'));
    expect(Object.keys(state.files)).toHaveLength(items.length);
    // Between them every file was downloaded once: whichever ran second found it staged.
    expect(
      (a.output() + b.output())
        .match(/(\d+) downloaded/g)
        ?.map((m) => Number(m.split(' ')[0]))
        .reduce((x, y) => x + y, 0),
    ).toBe(items.length);
  });

  it('with --no-wait, refuses with exit 6 naming the pull that holds the folder, downloading nothing', async () => {
    const dest = mkdtempSync(join(work, 'held-'));
    // A live holder that is another process (a lock with this process's own pid that it does not
    // hold is a leftover from an earlier process given the same pid, and is taken over).
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    onCleanup(() => holder.kill());
    writeFileSync(join(dest, LOCK_FILE), JSON.stringify({ pid: holder.pid, host: hostname(), startedAt: '2026-12-03T10:00:00.000Z' }));
    const r = await runCli(['pull', '--input', input, '--dest', dest, '--no-wait'], stack.env);
    expect(r.code).toBe(6);
    expect(r.err).toContain(`another recpipe pull (pid ${holder.pid} on ${hostname()}, started 2026-12-03T10:00:00.000Z) is writing into ${dest}`);
    expect(readdirSync(dest)).toEqual([LOCK_FILE]);
  });

  it('takes over a lock left by a pull that is gone (kill -9, reboot)', async () => {
    const dest = mkdtempSync(join(work, 'stale-'));
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(join(dest, LOCK_FILE), JSON.stringify({ pid: gone, host: hostname(), startedAt: '2026-12-03T09:00:00.000Z' }));
    const r = await runCli(['pull', '--input', input, '--dest', dest, '--no-wait'], stack.env);
    expect(r.code).toBe(0);
    expect(readdirSync(staged(dest))).toHaveLength(items.length);
    expect(existsSync(join(dest, LOCK_FILE))).toBe(false);
  });
});
