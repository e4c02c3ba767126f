/**
 * The daemon stops on SIGINT and SIGTERM mid-upload in every kind of terminal (issue 24): a
 * 0 x 0 pty (where the spinner used to divide by the width and flood it, deaf to signals), no
 * TTY (systemd, cron, pipes) and an 80 x 24 pty where Ctrl-C is typed. Each run says what was
 * cut short and how to resume; the journal it leaves names only parts the store holds, and the
 * next run sends only what is missing.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { exitOf, runCli, spawnCli, waitFor } from '../../helpers/cli.js';
import { ptyUnavailable, spawnInPty } from '../../helpers/pty.js';
import { startTestStack, type TestStack } from '../../helpers/stack.js';
import { tempDir } from '../../helpers/tmp.js';
import { generateSession } from '../../../src/features/synthetic/generate.js';
import type { Journal } from '../../../src/core/ingest/journal-types.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const MiB = 1024 * 1024;
// 5 MiB parts, 2 in flight, 4 MiB/s: a part lands every ~2.5 s, so a signal finds the upload
// under way with some parts done and others in flight.
const SLOW = { RECPIPE_PART_SIZE_MIB: '5', RECPIPE_MULTIPART_THRESHOLD_MIB: '5' };
const ARGS = ['--quiet-period', '1', '--bwlimit', '4M', '--concurrency', '2'];
let seq = 0;

describe('recpipe watch stops on a signal mid-upload, whatever the terminal', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());

  const env = () => ({ PATH: process.env.PATH ?? '', TMPDIR: process.env.TMPDIR ?? '/tmp', ...stack.env, ...SLOW });
  const journalOf = (session: string) => join(stack.home, 'journal', 'local-rig', `${session}.json`);
  const doneParts = (session: string): number => {
    if (!existsSync(journalOf(session))) return 0;
    const j = JSON.parse(readFileSync(journalOf(session), 'utf8')) as Journal;
    return Object.values(j.files).reduce((n, f) => n + f.doneParts.length, 0);
  };

  /** A fresh session of two 8 MiB files, and a wait until some of its parts are in the store. */
  async function session(): Promise<{ root: string; name: string; underway: () => Promise<void> }> {
    const root = tempDir('rp-sig-');
    const name = `2021090${++seq}_100000`;
    await generateSession(root, { name, files: 2, bytesPerFile: 8 * MiB, seed: seq });
    return { root, name, underway: () => waitFor(() => doneParts(name) >= 1, 30_000, 'a first part in the journal') };
  }

  /** What must hold after the stop: consistent journal, honest message, and a resume that sends only the rest. */
  async function afterStop(root: string, name: string, output: string, signal: string): Promise<void> {
    expect(output).toMatch(new RegExp(`stopped \\(interrupted by ${signal}\\): 0 uploaded, 1 interrupted`));
    expect(output).toMatch(new RegExp(`${name}: interrupted at \\d+%; the parts already sent are recorded in the journal`));
    expect(output).toContain(`to resume: recpipe watch ${root}`);
    // The journal is whole JSON, and names each done part once, within its file.
    const j = JSON.parse(readFileSync(journalOf(name), 'utf8')) as Journal;
    let doneBytes = 0;
    for (const f of Object.values(j.files)) {
      const numbers = f.doneParts.map((p) => p.partNumber);
      expect(new Set(numbers).size).toBe(numbers.length);
      for (const n of numbers) doneBytes += Math.min(5 * MiB, f.size - (n - 1) * 5 * MiB);
    }
    expect(doneBytes).toBeGreaterThan(0);
    // The next run resumes from it: the store completes each file from the recorded parts plus
    // the rest, bit-identical, and the parts done before the stop are not sent again.
    const again = await runCli(['--json', 'watch', root, '--once', '--quiet-period', '1'], { ...stack.env, ...SLOW });
    expect(JSON.parse(again.out)).toMatchObject({ uploaded: [name] });
    for (const f of readdirSync(join(root, name))) expect(sha(await stack.raw.get(`raw/local-rig/${name}/${f}`))).toBe(sha(readFileSync(join(root, name, f))));
    const committed = readFileSync(join(stack.home, 'logs', 'recpipe.log'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"event":"upload.committed"') && l.includes(`local-rig/${name}`))
      .map((l) => JSON.parse(l) as { bytesSent: number; bytes: number });
    expect(committed).toHaveLength(1);
    expect(committed[0].bytesSent).toBeLessThanOrEqual(committed[0].bytes - doneBytes);
  }

  it('no TTY (systemd, cron): SIGTERM stops it at once with exit 0, plain lines only', async () => {
    const { root, name, underway } = await session();
    const d = spawnCli(['watch', root, ...ARGS], { ...stack.env, ...SLOW });
    await underway();
    d.kill('SIGTERM');
    await waitFor(() => d.exitCode !== null, 10_000, 'the daemon to stop after SIGTERM');
    expect(await exitOf(d)).toBe(0);
    expect(d.output()).not.toContain('\u001b[');
    await afterStop(root, name, d.output(), 'SIGTERM');
  }, 90_000);

  const ptyIt = ptyUnavailable ? it.skip : it;
  const skipped = ptyUnavailable ? ` (skipped: ${ptyUnavailable})` : '';

  ptyIt(
    `a 0 x 0 terminal (serial console, script): SIGINT stops it, with no cursor codes and no flood${skipped}`,
    async () => {
      const { root, name, underway } = await session();
      const t = spawnInPty(0, 0, ['watch', root, ...ARGS], env());
      const pid = await t.pid();
      await underway();
      process.kill(pid, 'SIGINT');
      await waitFor(() => t.runner.exitCode !== null, 10_000, 'the daemon to stop after SIGINT');
      expect(await t.exit()).toBe(0);
      expect(t.output()).not.toContain('\u001b[');
      // The flood of issue 24 was 46 MB in 2 minutes; a run's plain lines are a few hundred bytes.
      expect(t.output().length).toBeLessThan(16 * 1024);
      await afterStop(root, name, t.output(), 'SIGINT');
    },
    90_000,
  );

  ptyIt(
    `an 80 x 24 terminal: Ctrl-C typed while the spinner runs stops it${skipped}`,
    async () => {
      const { root, name, underway } = await session();
      const t = spawnInPty(80, 24, ['watch', root, ...ARGS], env());
      await t.pid();
      await underway();
      t.type('\u0003');
      await waitFor(() => t.runner.exitCode !== null, 10_000, 'the daemon to stop after Ctrl-C');
      expect(await t.exit()).toBe(0);
      // A spinner ran (this is the TTY path), and it was stopped before the summary.
      expect(t.output()).toMatch(/\[#*-*\] \d+%/);
      await afterStop(root, name, t.output(), 'SIGINT');
    },
    90_000,
  );

  it('upload (no TTY): SIGINT exits 130, saying what was sent and the command that resumes', async () => {
    const { root, name, underway } = await session();
    const dir = join(root, name);
    const u = spawnCli(['upload', dir, '--bwlimit', '4M', '--concurrency', '2'], { ...stack.env, ...SLOW });
    await underway();
    u.kill('SIGINT');
    await waitFor(() => u.exitCode !== null, 10_000, 'upload to stop after SIGINT');
    expect(await exitOf(u)).toBe(130);
    expect(u.output()).toMatch(
      new RegExp(`error: stopped \\(interrupted by SIGINT\\) while uploading local-rig/${name} \\([\\d.]+ MB of [\\d.]+ MB sent, \\d+%\\)`),
    );
    expect(u.output()).toContain(`fix: run the same command again to resume: recpipe upload ${dir}`);
    const again = await runCli(['upload', dir], { ...stack.env, ...SLOW });
    expect(again.code).toBe(0);
  }, 90_000);
});
