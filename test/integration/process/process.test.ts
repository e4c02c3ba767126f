import { createHash } from 'node:crypto';
import { startTestStack, type TestStack } from '../../helpers/stack.js';
import { runCli, waitFor } from '../../helpers/cli.js';
import { generateSession } from '../../../src/features/synthetic/generate.js';
import { processSession, type ProcessDeps } from '../../../src/features/process/process-session.js';
import { manifestEventSession } from '../../../src/features/process/handle-event.js';
import { decodeProcessor } from '../../../src/features/process/steps/decode.js';
import { nullLogger } from '../../../src/adapters/log/file-logger.js';
import { MemoryLogger } from '../../../src/adapters/memory/logger.js';
import { EVENTS } from '../../../src/core/events.js';
import { catalogFilesKey, catalogSessionKey, ledgerKey, manifestKey } from '../../../src/core/layout.js';
import type { Clock } from '../../../src/core/ports.js';
import type { Processor } from '../../../src/features/process/steps/processor.js';
import { tempDir } from '../../helpers/tmp.js';

let stack: TestStack;
let root: string;
beforeAll(async () => {
  stack = await startTestStack();
  root = tempDir('rp-proc-');
});
afterAll(() => stack.stop());

const deps = (extra: Partial<ProcessDeps> = {}): ProcessDeps => ({
  raw: stack.raw,
  lake: stack.lake,
  processor: decodeProcessor,
  pipeline: 'default',
  pipelineVersion: '1',
  logger: nullLogger,
  ...extra,
});
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function uploaded(session: string, seed = 1) {
  const dir = await generateSession(root, { name: session, files: 2, bytesPerFile: 40_000, seed });
  const r = await runCli(['upload', dir], stack.env);
  expect(r.code).toBe(0);
  return { rig: 'local-rig', session };
}

async function ledger(ref: { rig: string; session: string }, version = '1') {
  return JSON.parse((await stack.lake.get(ledgerKey(ref, 'default', version))).toString());
}

describe('processing a committed session', () => {
  it('gives exactly one catalog row, one output set and one done entry, even for 10 shuffled duplicate events', async () => {
    const ref = await uploaded('20210401_100000');
    stack.s3.stats.reset();
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => processSession(manifestEventSession({ key: manifestKey(ref) })!, deps())));
    expect(outcomes.filter((o) => o.status === 'done')).toHaveLength(1);
    expect(outcomes.every((o) => ['done', 'busy', 'already_done'].includes(o.status))).toBe(true);
    const again = await Promise.all(Array.from({ length: 5 }, () => processSession(ref, deps())));
    expect(again.every((o) => o.status === 'already_done')).toBe(true);
    expect((await stack.lake.get(catalogSessionKey(ref))).toString().trim().split('\n')).toHaveLength(1);
    const index = (await stack.lake.get(catalogFilesKey(ref, 'default', '1')))
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(index.map((r) => r.file)).toEqual(['data_00.npy', 'data_00.stats.json', 'data_01.npy', 'data_01.stats.json', '_provenance.json']);
    for (const row of index) expect(sha(await stack.lake.get(row.key))).toBe(row.sha256);
    expect((await stack.lake.list('processed/default/1/local-rig/20210401_100000/')).length).toBe(5);
    expect(await ledger(ref)).toMatchObject({ state: 'done', attempts: 1, output_count: 5 });
    // Raw is only read.
    expect(stack.s3.stats.bytesReceived(stack.info.buckets.raw)).toBe(0);
    expect(stack.s3.stats.requests.get(`PUT ${stack.info.buckets.raw}`) ?? 0).toBe(0);
  });

  it('decodes the samples into a numpy array and per-channel statistics', async () => {
    const ref = { rig: 'local-rig', session: '20210401_100000' };
    const npy = await stack.lake.get('processed/default/1/local-rig/20210401_100000/data_00.npy');
    expect(npy.subarray(0, 6).toString('latin1')).toBe('\x93NUMPY');
    const headerLen = npy.readUInt16LE(8);
    expect((10 + headerLen) % 64).toBe(0);
    expect(npy.subarray(10, 10 + headerLen).toString()).toContain("'descr': '<f4', 'fortran_order': False, 'shape': (5000, 4)");
    const stats = JSON.parse((await stack.lake.get('processed/default/1/local-rig/20210401_100000/data_00.stats.json')).toString());
    expect(stats.channels_stats).toHaveLength(4);
    expect(stats.channels_stats[0].max).toBeGreaterThan(7000);
    expect(Math.abs(stats.channels_stats[0].mean)).toBeLessThan(200);
    const prov = JSON.parse((await stack.lake.get('processed/default/1/local-rig/20210401_100000/_provenance.json')).toString());
    expect(prov).toMatchObject({ session_id: 'local-rig/20210401_100000', processor: { name: 'decode', version: '1' } });
    expect(prov.inputs).toHaveLength(3);
    expect(ref.session).toBe('20210401_100000');
  });

  it('re-running the built-in processor gives byte-identical outputs', async () => {
    const ref = { rig: 'local-rig', session: '20210401_100000' };
    const before = await stack.lake.get('processed/default/1/local-rig/20210401_100000/data_01.npy');
    const r = await processSession(ref, deps(), { force: true });
    expect(r.status).toBe('done');
    expect(sha(await stack.lake.get('processed/default/1/local-rig/20210401_100000/data_01.npy'))).toBe(sha(before));
  });

  it('marks a session whose raw file is altered or missing as incomplete and registers nothing', async () => {
    for (const [session, spoil] of [
      ['20210402_100000', 'alter'],
      ['20210403_100000', 'missing'],
    ] as const) {
      const ref = { rig: 'local-rig', session };
      const manifest = {
        schema: 'recpipe.manifest/1',
        sessionId: `local-rig/${session}`,
        rig: 'local-rig',
        session,
        recordedAt: '2021-04-02T10:00:00',
        metadataFile: 'metadata.txt',
        variables: { numeric: { channels: 1 }, text: {} },
        files: [
          { name: 'a.bin', role: 'data', size: 4, sha256: sha(Buffer.from('abcd')) },
          { name: 'metadata.txt', role: 'metadata', size: 12, sha256: sha(Buffer.from('channels: 1\n')) },
        ],
        fileCount: 2,
        totalBytes: 16,
        client: { name: 'recpipe', version: 't', host: 't', transport: 'api' },
        createdAt: '2021-04-02T10:00:00Z',
      };
      if (spoil === 'alter') await stack.raw.put(`raw/local-rig/${session}/a.bin`, 'abcX');
      await stack.raw.put(`raw/local-rig/${session}/metadata.txt`, 'channels: 1\n');
      await stack.raw.put(manifestKey(ref), JSON.stringify(manifest));
      const r = await processSession(ref, deps());
      expect(r.status).toBe('incomplete');
      expect(r.error).toMatch(spoil === 'alter' ? /a\.bin has SHA-256/ : /a\.bin is missing/);
      expect(await stack.lake.head(catalogSessionKey(ref))).toBeUndefined();
      expect(await stack.lake.head(catalogFilesKey(ref, 'default', '1'))).toBeUndefined();
      expect(await ledger(ref)).toMatchObject({ state: 'incomplete' });
    }
  });

  it('hides the outputs of a processor that crashes halfway, retries, then dead-letters with the error', async () => {
    const ref = await uploaded('20210404_100000', 2);
    const crashing: Processor = {
      ...decodeProcessor,
      name: 'crashy',
      async processFile(file, manifest, source, out) {
        await decodeProcessor.processFile(file, manifest, source, out);
        throw new Error('out of memory halfway');
      },
    };
    const statuses = [];
    const logger = new MemoryLogger();
    for (let i = 0; i < 3; i++) statuses.push((await processSession(ref, deps({ processor: crashing, logger }))).status);
    expect(statuses).toEqual(['failed', 'failed', 'dead']);
    // The DeadSessions alarm filters on this registered name (src/core/events.ts).
    expect(logger.entries.filter((e) => e.event.startsWith('process.') && e.level === 'error').map((e) => e.event)).toEqual([
      EVENTS.processFailed.name,
      EVENTS.processFailed.name,
      EVENTS.processDead.name,
    ]);
    expect(await stack.lake.head(catalogFilesKey(ref, 'default', '1'))).toBeUndefined();
    expect(await ledger(ref)).toMatchObject({ state: 'dead', attempts: 3, last_error: 'out of memory halfway' });
    const status = await runCli(['--json', 'status'], stack.env);
    const s = JSON.parse(status.out);
    expect(s.counts.dead).toBeGreaterThanOrEqual(1);
    expect(s.deadLetters.map((d: { session_id: string }) => d.session_id)).toContain('local-rig/20210404_100000');
    const redrive = await runCli(['process', '--session', 'local-rig/20210404_100000'], stack.env);
    expect(redrive.code).toBe(0);
    expect(await ledger(ref)).toMatchObject({ state: 'done' });
  });

  it('processes only the sessions lacking a new pipeline version', async () => {
    const r = await runCli(['--json', 'process', '--pipeline-version', '2'], stack.env);
    const out = JSON.parse(r.out);
    const ids = out.outcomes.map((o: { sessionId: string }) => o.sessionId).sort();
    expect(ids).toContain('local-rig/20210401_100000');
    const again = await runCli(['--json', 'process', '--pipeline-version', '2'], stack.env);
    const second = JSON.parse(again.out).outcomes.map((o: { sessionId: string }) => o.sessionId);
    // Only the incomplete sessions remain candidates; the done ones are not processed again.
    expect(second).not.toContain('local-rig/20210401_100000');
    expect(second.every((id: string) => ['local-rig/20210402_100000', 'local-rig/20210403_100000'].includes(id))).toBe(true);
  });

  it('decodes event keys like S3 sends them and ignores non-manifest keys', () => {
    expect(manifestEventSession({ key: 'raw/local-rig/20210401_100000/_manifest.json' })).toEqual({ rig: 'local-rig', session: '20210401_100000' });
    expect(manifestEventSession({ key: 'raw/local-rig/20210401%5F100000/%5Fmanifest.json' })).toEqual({ rig: 'local-rig', session: '20210401_100000' });
    expect(manifestEventSession({ key: 'raw/local-rig/20210401_100000/my+data+file.bin' })).toBeUndefined();
    expect(manifestEventSession({ key: 'raw/local-rig/20210401_100000/a+b%2Bc_manifest.json' })).toBeUndefined();
    expect(manifestEventSession({ key: 'raw/local-rig/20210401_100000/%E0%A4%A' })).toBeUndefined();
  });
});

/**
 * A clock that moves only when the test says: `sleep` waits until `advance` passes its end, so
 * the lease renews exactly when the test moves time, whatever the machine's load.
 */
class HeldClock implements Clock {
  private t = Date.parse('2026-01-01T00:00:00.000Z');
  private sleepers: { until: number; wake: () => void }[] = [];
  now(): Date {
    return new Date(this.t);
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const s = { until: this.t + ms, wake: () => resolve() };
      this.sleepers.push(s);
      signal?.addEventListener('abort', () => {
        this.sleepers = this.sleepers.filter((x) => x !== s);
        reject(signal.reason);
      });
    });
  }
  /** Moves time on, waking every sleep that has ended. */
  advance(ms: number): void {
    this.t += ms;
    const due = this.sleepers.filter((s) => s.until <= this.t);
    this.sleepers = this.sleepers.filter((s) => s.until > this.t);
    for (const s of due) s.wake();
  }
  /** How many sleeps are pending (a stopped lease leaves none). */
  get sleeping(): number {
    return this.sleepers.length;
  }
}

describe('the processing lease', () => {
  // Runs `during` before decoding the first file, holding it meanwhile: a lease lost then must
  // stop every output.
  const held = (during: () => Promise<unknown>): Processor => {
    let waited = false;
    return {
      ...decodeProcessor,
      name: 'held',
      async processFile(file, manifest, source, out) {
        if (!waited) await during();
        waited = true;
        await decodeProcessor.processFile(file, manifest, source, out);
      },
    };
  };

  it('is renewed while a long processor runs, so no other worker takes the session over', async () => {
    const ref = await uploaded('20210405_100000', 5);
    const clock = new HeldClock();
    const logger = new MemoryLogger();
    const renewals = () => logger.entries.filter((e) => e.event === EVENTS.processLeaseRenewed.name).length;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let running!: () => void;
    const started = new Promise<void>((r) => (running = r));
    // A 900 ms lease, renewed every 300 ms of the clock; the processor runs two lease lengths.
    const first = processSession(ref, deps({ processor: held(() => (running(), gate)), leaseMs: 900, clock, logger }));
    await started;
    try {
      for (let i = 1; i <= 6; i++) {
        clock.advance(300);
        await waitFor(() => renewals() >= i, 30_000, `renewal ${i}`);
      }
      // Without renewal the claim (made at 0, for 900 ms) would have run out at 900 ms; it is 1800 ms now.
      const entry = await ledger(ref);
      expect(entry.state).toBe('running');
      expect(Date.parse(entry.lease_expires_at)).toBe(clock.now().getTime() + 900);
      expect((await processSession(ref, deps({ leaseMs: 900, clock }))).status).toBe('busy');
    } finally {
      release();
    }
    expect((await first).status).toBe('done');
    expect(await ledger(ref)).toMatchObject({ state: 'done', attempts: 1 });
    expect(clock.sleeping).toBe(0);
  });

  it('publishes nothing when another worker took the ledger entry over meanwhile', async () => {
    const ref = await uploaded('20210406_100000', 6);
    const key = ledgerKey(ref, 'default', '1');
    let stolen: Record<string, unknown> = {};
    // Taken over while the first file is held; with a long lease no periodic renewal happens,
    // so the check before publishing must catch it.
    const takeOver = async () => {
      stolen = { ...(await ledger(ref)), lease_owner: 'other-host:1:abcd', lease_expires_at: new Date(Date.now() + 60_000).toISOString() };
      await stack.lake.put(key, JSON.stringify(stolen));
    };
    const outcome = await processSession(ref, deps({ processor: held(takeOver), leaseMs: 60_000 }));
    expect(outcome.status).toBe('lease_lost');
    expect(await stack.lake.head(catalogFilesKey(ref, 'default', '1'))).toBeUndefined();
    expect(await stack.lake.list('processed/default/1/local-rig/20210406_100000/')).toEqual([]);
    expect(await ledger(ref)).toEqual(stolen);
  });
});
