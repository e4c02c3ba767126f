import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exitOf, runCli, spawnCli, waitFor, waitForAsync } from '../../helpers/cli.js';
import { startTestStack, type TestStack } from '../../helpers/stack.js';
import { generateInvalidSessions, generateSession, prng } from '../../../src/features/synthetic/generate.js';
import { tempDir } from '../../helpers/tmp.js';
import { loadConfig } from '../../../src/config/load.js';
import { requireApi, resolveEndpoints } from '../../../src/composition/endpoints.js';
import { HttpIngestApi } from '../../../src/adapters/http/ingest-client.js';
import { JournalStore } from '../../../src/adapters/fs/journal-store.js';
import { nullLogger } from '../../../src/adapters/log/file-logger.js';
import { silentReporter, type Clock } from '../../../src/core/ports.js';
import { uploadOptions } from '../../../src/features/ingest/engine-options.js';
import { runWatch } from '../../../src/features/watch/daemon.js';
import type { WatchLoop } from '../../../src/features/watch/watch-loop.js';
import { loadState, watchDir } from '../../../src/features/watch/state.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const manifest = (s: string) => `raw/local-rig/${s}/_manifest.json`;
/** Sets a folder's files' mtimes (a rig that wrote them at `at`). */
const touch = (dir: string, at: Date) => {
  for (const n of readdirSync(dir)) utimesSync(join(dir, n), at, at);
};

/**
 * The daemon's clock, driven by the test: each poll's wait hangs until the test lets it go, so
 * the test knows when a scan has happened and what time the daemon thinks it is. Nothing here
 * depends on how fast the machine is.
 */
class TestClock implements Clock {
  private go: (() => void) | undefined;
  private told: (() => void) | undefined;
  constructor(public t: number) {}
  now(): Date {
    return new Date(this.t);
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.go = () => {
        signal?.removeEventListener('abort', onAbort);
        this.t += ms;
        resolve();
      };
      this.told?.();
      this.told = undefined;
    });
  }
  /** Resolves once the daemon waits between polls (its scan and uploads are done). */
  waiting(): Promise<void> {
    return this.go ? Promise.resolve() : new Promise((r) => (this.told = r));
  }
  /** Lets the waiting daemon poll again, `extraMs` later than its pause. */
  async poll(extraMs = 0): Promise<void> {
    await this.waiting();
    const go = this.go!;
    this.go = undefined;
    this.t += extraMs;
    go();
    await this.waiting();
  }
}

async function expectStoredOnce(stack: TestStack, dir: string, session: string) {
  const m = JSON.parse((await stack.raw.get(manifest(session))).toString());
  expect(m.files.map((f: { name: string }) => f.name)).toEqual(readdirSync(dir).sort());
  for (const f of m.files) expect(sha(await stack.raw.get(`raw/local-rig/${session}/${f.name}`))).toBe(sha(readFileSync(join(dir, f.name))));
  expect((await stack.raw.list(`raw/local-rig/${session}/`)).length).toBe(m.files.length + 1);
}

describe('recpipe watch', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());

  it('never uploads a session written in bursts before it has been quiet, then uploads it once', async () => {
    // Prepare: the daemon in-process on the test's clock (quiet period 30 s, a poll every second).
    const root = tempDir('rp-watch-');
    const config = loadConfig({ env: stack.env }).config;
    const { apiUrl, apiKey } = requireApi(resolveEndpoints(config));
    const clock = new TestClock(Date.now());
    const ac = new AbortController();
    let loop: WatchLoop | undefined;
    const daemon = runWatch({
      root,
      home: stack.home,
      api: new HttpIngestApi(apiUrl),
      apiKey,
      journals: new JournalStore(config.home, nullLogger),
      logger: nullLogger,
      reporter: silentReporter,
      signal: ac.signal,
      once: false,
      quietMs: 30_000,
      pollMs: 1000,
      upload: uploadOptions(config, {}),
      clock,
      onStart: (l) => (loop = l),
    });
    try {
      await clock.waiting();
      const name = '20210701_100000';
      const dir = join(root, name);
      mkdirSync(dir);
      writeFileSync(join(dir, 'metadata.txt'), 'channels: 1\nfatigue: 2\n');
      // Act: five bursts, each a few seconds after the last (well inside the quiet period).
      for (let burst = 0; burst < 5; burst++) {
        appendFileSync(join(dir, 'data_00.bin'), Buffer.alloc(2000, burst));
        touch(dir, clock.now());
        await clock.poll(burst === 0 ? 0 : 5_000);
        // Assess: seen, waiting, nothing in the store.
        expect(loop!.state.sessions[name]).toMatchObject({ state: 'waiting' });
        expect(await stack.raw.head(manifest(name))).toBeUndefined();
        expect((await stack.raw.list(`raw/local-rig/${name}/`)).length).toBe(0);
      }
      // 29 s after the last burst: still waiting.
      await clock.poll(28_000);
      expect(loop!.state.sessions[name]).toMatchObject({ state: 'waiting' });
      // Past the quiet period: queued by this poll's scan, then uploaded before the next pause.
      await clock.poll(1_000);
      expect(loop!.state.sessions[name]).toMatchObject({ state: 'uploaded' });
      await expectStoredOnce(stack, dir, name);
      // A second daemon on the same folder is refused.
      const second = await runCli(['watch', root, '--once'], stack.env);
      expect(second.code).toBe(6);
      expect(second.err).toMatch(/already watching/);
    } finally {
      ac.abort();
    }
    await daemon;
  });

  it('--once uploads a folder that has been quiet longer than the quiet period, and leaves a fresh one waiting', async () => {
    const root = tempDir('rp-watch-');
    const old = await generateSession(root, { name: '20210705_100000', files: 1, bytesPerFile: 4000 });
    const past = new Date(Date.now() - 120_000);
    for (const n of readdirSync(old)) utimesSync(join(old, n), past, past);
    await generateSession(root, { name: '20210706_100000', files: 1, bytesPerFile: 4000 });
    const r = await runCli(['--json', 'watch', root, '--once', '--quiet-period', '30'], stack.env);
    expect(JSON.parse(r.out)).toMatchObject({ uploaded: ['20210705_100000'], waiting: ['20210706_100000'] });
    expect(await stack.raw.head(manifest('20210705_100000'))).toBeDefined();
    expect(await stack.raw.head(manifest('20210706_100000'))).toBeUndefined();
  });

  it('uploads a session whose last frame is cut short, bit-identical, and reports the warning', async () => {
    const root = tempDir('rp-watch-');
    const dir = await generateSession(root, { name: '20210707_100000', files: 1, bytesPerFile: 4000 });
    appendFileSync(join(dir, 'data_00.bin'), Buffer.from([7]));
    const past = new Date(Date.now() - 120_000);
    for (const n of readdirSync(dir)) utimesSync(join(dir, n), past, past);
    const r = await runCli(['--json', 'watch', root, '--once', '--quiet-period', '30'], stack.env);
    expect(JSON.parse(r.out)).toMatchObject({ uploaded: ['20210707_100000'] });
    await expectStoredOnce(stack, dir, '20210707_100000');
    expect(JSON.parse((await stack.raw.get(manifest('20210707_100000'))).toString()).warnings).toEqual([
      expect.objectContaining({ code: 'data.partial_frame', file: 'data_00.bin' }),
    ]);
    const log = readFileSync(join(stack.home, 'logs', 'recpipe.log'), 'utf8');
    expect(log.split('\n').filter((l) => l.includes('"event":"session.warning"') && l.includes('data_00.bin'))).toHaveLength(1);
  });

  it('reports an invalid session once, leaves it untouched, and status shows it', async () => {
    const root = tempDir('rp-watch-');
    const [bad] = await generateInvalidSessions(root);
    const before = readdirSync(bad).map((n) => `${n}:${statSync(join(bad, n)).size}:${statSync(join(bad, n)).mtimeMs}:${sha(readFileSync(join(bad, n)))}`);
    for (let i = 0; i < 3; i++) await runCli(['watch', root, '--once', '--quiet-period', '0'], stack.env);
    const after = readdirSync(bad).map((n) => `${n}:${statSync(join(bad, n)).size}:${statSync(join(bad, n)).mtimeMs}:${sha(readFileSync(join(bad, n)))}`);
    expect(after).toEqual(before);
    const status = JSON.parse((await runCli(['--json', 'status', '--root', root], stack.env)).out);
    expect(status.sessions['20210229_161221']).toMatchObject({ state: 'invalid' });
    const log = readFileSync(join(stack.home, 'logs', 'recpipe.log'), 'utf8');
    const reports = log.split('\n').filter((l) => l.includes('"event":"session.invalid"') && l.includes(`${root}/20210229_161221`));
    expect(reports).toHaveLength(1);
    expect(await stack.raw.list('raw/local-rig/20210229_161221/')).toEqual([]);
  });

  it('survives kill -9 at random points: every session ends in the store exactly once, bit-identical', async () => {
    const root = tempDir('rp-watch-');
    const names = ['20210702_100000', '20210703_100000'];
    for (const [i, name] of names.entries()) await generateSession(root, { name, files: 2, bytesPerFile: 12 * 1024 * 1024, seed: 10 + i });
    // Quiet for longer than the quiet period already (by the files' times, not by waiting).
    for (const name of names) touch(join(root, name), new Date(Date.now() - 120_000));
    const random = prng(20211124);
    stack.s3.faults.add({ match: { bucket: stack.info.buckets.raw, keyPrefix: 'raw/local-rig/2021070' }, action: { type: 'delay', ms: 150 } });
    const puts = () => stack.s3.stats.requests.get(`PUT ${stack.info.buckets.raw}`) ?? 0;
    const committed = async () => (await Promise.all(names.map((n) => stack.raw.head(manifest(n))))).every(Boolean);
    for (let round = 0; round < 3; round++) {
      const d = spawnCli(['watch', root, '--quiet-period', '1', '--concurrency', '2'], {
        ...stack.env,
        RECPIPE_PART_SIZE_MIB: '5',
        RECPIPE_MULTIPART_THRESHOLD_MIB: '5',
      });
      // The kill point is a random number of PUTs into this round's work, not a time.
      const target = puts() + 1 + Math.floor(random() * 4);
      await waitForAsync(async () => puts() >= target || d.exitCode !== null || (await committed()), 30_000, `PUT ${target} of round ${round}`);
      d.kill('SIGKILL');
      await exitOf(d);
    }
    stack.s3.faults.clear();
    const r = await runCli(['watch', root, '--once', '--quiet-period', '1'], {
      ...stack.env,
      RECPIPE_PART_SIZE_MIB: '5',
      RECPIPE_MULTIPART_THRESHOLD_MIB: '5',
    });
    expect(r.code).toBe(0);
    for (const name of names) await expectStoredOnce(stack, join(root, name), name);
  }, 60_000);
});

describe('recpipe watch across a store outage', () => {
  it('loses nothing while the local stack is down, and uploads once it is back', async () => {
    const first = await startTestStack();
    const { home } = first;
    const ports = { apiPort: Number(new URL(first.info.api).port), s3Port: Number(new URL(first.info.s3).port) };
    const root = tempDir('rp-watch-');
    const daemon = spawnCli(['watch', root, '--quiet-period', '1'], first.env);
    await waitFor(() => daemon.output().includes('watching'), 10_000, 'the daemon');
    await first.stop();
    let back: TestStack | undefined;
    try {
      await generateSession(root, { name: '20210704_100000', files: 1, bytesPerFile: 50_000 });
      // The daemon tried while the store was down, and will try again.
      const state = () => loadState(watchDir(home, root), root);
      await waitForAsync(async () => ((await state()).sessions['20210704_100000']?.attempts ?? 0) >= 1, 30_000, 'a failed attempt while the stack is down');
      back = await startTestStack({ home, ...ports });
      const b = back;
      await waitForAsync(async () => (await b.raw.head(manifest('20210704_100000'))) !== undefined, 40_000, 'the upload once the stack is back');
      await expectStoredOnce(b, join(root, '20210704_100000'), '20210704_100000');
    } finally {
      daemon.kill('SIGTERM');
      await exitOf(daemon);
      await back?.stop();
    }
  }, 60_000);
});
