import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestStack, type TestStack } from '../../helpers/stack.js';
import { runCli, waitFor } from '../../helpers/cli.js';
import { pullFiles } from '../../../src/features/pull/pull-files.js';
import type { PullItem } from '../../../src/features/pull/plan.js';
import { catalogFilesKey, catalogSessionKey } from '../../../src/core/layout.js';
import { silentReporter } from '../../../src/cli/render/reporter.js';
import { nullLogger } from '../../../src/adapters/log/file-logger.js';
import { MemoryLogger } from '../../../src/adapters/memory/logger.js';
import { LakeSource, type PullSource } from '../../../src/features/pull/lake-source.js';
import { tempDir } from '../../helpers/tmp.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let stack: TestStack;
let items: PullItem[];

/** Three sessions with two outputs each, indexed like processing indexes them. */
beforeAll(async () => {
  stack = await startTestStack();
  items = [];
  for (const [i, session] of ['20210201_090000', '20210202_090000', '20210203_090000'].entries()) {
    const id = `rig-a/${session}`;
    const rows: PullItem[] = [];
    for (const file of ['data_00.npy', 'data_00.stats.json']) {
      const body = Buffer.alloc(200_000 + i * 1000 + file.length, i + 1);
      const key = `processed/default/1/${id}/${file}`;
      await stack.lake.put(key, body);
      rows.push({ session_id: id, pipeline: 'default', pipeline_version: '1', key, file, bytes: body.length, sha256: sha(body) });
    }
    items.push(...rows);
    await stack.lake.put(
      catalogFilesKey({ rig: 'rig-a', session }, 'default', '1'),
      rows.map((r) => JSON.stringify({ ...r, created_at: '' })).join('\n') + '\n',
    );
    const d = session;
    await stack.lake.put(
      catalogSessionKey({ rig: 'rig-a', session }),
      JSON.stringify({
        session_id: id,
        rig: 'rig-a',
        session,
        recorded_at: `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)} 09:00:00`,
        file_count: 2,
        total_bytes: 1,
        num_vars: { fatigue: i + 1 },
        text_vars: { hardware_model: i ? 'NX-200' : 'NX-100' },
      }) + '\n',
    );
  }
});
const dests: string[] = [];
/** A destination folder, removed after the tests. */
const tempDest = () => {
  const d = tempDir('rp-pull-');
  dests.push(d);
  return d;
};
afterAll(async () => {
  await stack.stop();
  dests.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

const deps = (extra = {}) => ({ lake: stack.lake, reporter: silentReporter, logger: nullLogger, ...extra });

describe('recpipe pull', () => {
  it('stages the files bit-identically, then a second pull downloads nothing', async () => {
    const dest = tempDest();
    const first = await pullFiles(items, dest, deps(), { concurrency: 3, dryRun: false });
    expect(first).toMatchObject({ files: 6, downloaded: 6, skipped: 0 });
    for (const f of items) expect(sha(readFileSync(join(dest, 'rig-a', f.session_id.split('/')[1], 'default', '1', f.file)))).toBe(f.sha256);
    const staged = JSON.parse(readFileSync(join(dest, 'recpipe-pull.json'), 'utf8'));
    expect(staged.files).toHaveLength(6);
    stack.s3.stats.reset();
    const second = await pullFiles(items, dest, deps(), { concurrency: 3, dryRun: false });
    expect(second).toMatchObject({ downloaded: 0, skipped: 6 });
    expect(stack.s3.stats.requests.get(`GET ${stack.info.buckets.lake}`) ?? 0).toBe(0);
  });

  it('stages files larger than a write batch bit-identically (many batches, one in flight)', async () => {
    const dest = tempDest();
    const big: PullItem[] = [];
    for (const [i, n] of [9 * 1024 * 1024 + 17, 4 * 1024 * 1024].entries()) {
      const body = Buffer.alloc(n);
      for (let j = 0; j < n; j += 4096) body.writeUInt32LE((j * 2654435761 + i) >>> 0, j);
      const key = `processed/default/1/rig-a/20210204_090000/big_${i}.npy`;
      await stack.lake.put(key, body);
      big.push({ session_id: 'rig-a/20210204_090000', pipeline: 'default', pipeline_version: '1', key, file: `big_${i}.npy`, bytes: n, sha256: sha(body) });
    }
    expect(await pullFiles(big, dest, deps(), { concurrency: 2, dryRun: false })).toMatchObject({ downloaded: 2 });
    for (const f of big) {
      const got = readFileSync(join(dest, 'rig-a', '20210204_090000', 'default', '1', f.file));
      expect(got.length).toBe(f.bytes);
      expect(sha(got)).toBe(f.sha256);
    }
    expect(readdirSync(join(dest, 'rig-a', '20210204_090000', 'default', '1')).filter((n) => n.endsWith('.part'))).toEqual([]);
  });

  it('refuses an object altered in the store and leaves nothing at its final path', async () => {
    const dest = tempDest();
    const victim = items[0];
    const original = await stack.lake.get(victim.key);
    const altered = Buffer.from(original);
    altered[1000] ^= 0xff;
    await stack.lake.put(victim.key, altered);
    try {
      await expect(pullFiles([victim, items[1]], dest, deps(), { concurrency: 1, dryRun: false })).rejects.toMatchObject({ code: 'integrity' });
    } finally {
      await stack.lake.put(victim.key, original);
    }
    const dir = join(dest, 'rig-a', '20210201_090000', 'default', '1');
    expect(existsSync(join(dir, victim.file))).toBe(false);
    expect(readdirSync(dir).filter((n) => n.endsWith('.part'))).toEqual([]);
    expect(existsSync(join(dir, items[1].file))).toBe(true);
  });

  it('refuses before downloading anything when free space is short, with the numbers', async () => {
    const dest = tempDest();
    stack.s3.stats.reset();
    await expect(pullFiles(items, dest, deps({ freeBytes: async () => 10_000_000 }), { concurrency: 2, dryRun: false })).rejects.toThrow(
      /not enough free space .*1\.2 MB to download .* 10\.0 MB free; nothing was downloaded/,
    );
    expect(stack.s3.stats.requests.get(`GET ${stack.info.buckets.lake}`) ?? 0).toBe(0);
    expect(readdirSync(dest)).toEqual([]);
  });

  it('resumes an interrupted pull without fetching finished files again', async () => {
    const dest = tempDest();
    const controller = new AbortController();
    stack.s3.faults.add({ match: { bucket: stack.info.buckets.lake, keyPrefix: 'processed/default/1/rig-a/20210202' }, action: { type: 'delay', ms: 300 } });
    // Interrupted once two files are in place (not after a time: a loaded machine may have none by then).
    const inPlace = (d: string): number =>
      readdirSync(d, { withFileTypes: true }).reduce(
        (n, e) => n + (e.isDirectory() ? inPlace(join(d, e.name)) : e.name.endsWith('.part') || e.name.startsWith('.') ? 0 : 1),
        0,
      );
    const pulling = pullFiles(items, dest, deps({ signal: controller.signal }), { concurrency: 1, dryRun: false });
    await waitFor(() => inPlace(dest) >= 2, 15_000, 'two files in place');
    controller.abort();
    await expect(pulling).rejects.toBeDefined();
    stack.s3.faults.clear();
    const partials = (d: string): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? partials(join(d, e.name)) : e.name.endsWith('.part') ? [e.name] : []));
    expect(partials(dest)).toEqual([]);
    const r = await pullFiles(items, dest, deps(), { concurrency: 2, dryRun: false });
    expect(r.skipped).toBeGreaterThanOrEqual(2);
    expect(r.downloaded + r.skipped).toBe(6);
  });

  it('refuses an --input file it cannot read with a one-line usage error, downloading nothing', async () => {
    const dest = tempDest();
    const r = await runCli(['pull', '--input', join(dest, 'missing.json'), '--dest', dest], stack.env);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot read --input .*missing\.json: ENOENT/);
    expect(r.err).not.toMatch(/bug/);
    expect(readdirSync(dest)).toEqual([]);
  });

  it('queries and pulls through the CLI, and --dry-run downloads nothing', async () => {
    const dest = tempDest();
    const dry = await runCli(['--json', 'pull', 'hardware_model=NX-200', '--dest', dest, '--dry-run'], stack.env);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.out)).toMatchObject({ files: 4, downloaded: 0, dryRun: true });
    expect(readdirSync(dest)).toEqual([]);
    const r = await runCli(['pull', 'fatigue>=3', '--dest', dest, '--fsync'], stack.env);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/2 downloaded, 0 already present/);
    expect(readdirSync(join(dest, 'rig-a'))).toEqual(['20210203_090000']);
    const state = JSON.parse(readFileSync(join(dest, '.recpipe-pull-state.json'), 'utf8'));
    expect(Object.values(state.files).map((f) => (f as { synced: boolean }).synced)).toEqual([true, true]);
  });
});

describe('recpipe pull, fast path (presigned GET into reused buffers)', () => {
  const where = (dest: string, f: PullItem) => join(dest, 'rig-a', f.session_id.split('/')[1], 'default', '1', f.file);
  const local = () =>
    new LakeSource(
      { region: stack.info.region, endpoint: stack.info.s3, credentials: stack.info.credentials },
      stack.info.buckets.lake,
      async () => stack.lake,
    );
  /** A source whose SDK stream must not be used. */
  const fastOnly = (src: PullSource): PullSource => ({
    presignGet: (k, e) => src.presignGet!(k, e),
    getStream: () => Promise.reject(new Error('the SDK stream was used')),
  });
  const fast = (extra = {}) => ({ ...deps(), rawGetMinBytes: 0, ...extra });

  it('downloads through URLs signed without the SDK, bit-identically', async () => {
    const dest = tempDest();
    expect(await pullFiles(items, dest, fast({ lake: fastOnly(local()) }), { concurrency: 3, dryRun: false })).toMatchObject({ downloaded: 6 });
    for (const f of items) expect(sha(readFileSync(where(dest, f)))).toBe(f.sha256);
  });

  it('falls back to the SDK stream when the store refuses the URL', async () => {
    const dest = tempDest();
    let streams = 0;
    const lake: PullSource = {
      presignGet: async (k, e) => (await stack.lake.presignGet(k, e)).replace(/X-Amz-Signature=[0-9a-f]{4}/, 'X-Amz-Signature=0000'),
      getStream: (k) => (streams++, stack.lake.getStream(k)),
    };
    expect(await pullFiles(items.slice(0, 2), dest, fast({ lake }), { concurrency: 2, dryRun: false })).toMatchObject({ downloaded: 2 });
    expect(streams).toBe(2);
    for (const f of items.slice(0, 2)) expect(sha(readFileSync(where(dest, f)))).toBe(f.sha256);
  });

  it('retries a download cut by the network, and refuses one corrupted in transit', async () => {
    const dest = tempDest();
    const logger = new MemoryLogger();
    const [a, b] = items;
    stack.s3.faults.add({ match: { bucket: stack.info.buckets.lake, keyPrefix: a.key }, action: { type: 'drop-after-bytes', bytes: 50_000 }, times: 1 });
    stack.s3.faults.add({ match: { bucket: stack.info.buckets.lake, keyPrefix: b.key }, action: { type: 'flip-byte', offset: 77_777 }, times: 1 });
    try {
      await expect(pullFiles([a, b], dest, fast({ lake: fastOnly(stack.lake), logger }), { concurrency: 2, dryRun: false })).rejects.toMatchObject({
        code: 'integrity',
      });
    } finally {
      stack.s3.faults.clear();
    }
    expect(logger.entries.filter((e) => e.event === 'pull.retry').map((e) => e.fields.key)).toEqual([a.key]);
    expect(sha(readFileSync(where(dest, a)))).toBe(a.sha256);
    expect(existsSync(where(dest, b))).toBe(false);
    expect(existsSync(where(dest, b) + '.part')).toBe(false);
  });

  it('trusts its record of a verified file only on the boot that wrote it, unless it was flushed (--fsync)', async () => {
    const dest = tempDest();
    const boot = (id: string) => fast({ lake: fastOnly(stack.lake), bootId: async () => id });
    await pullFiles(items, dest, boot('boot-1'), { concurrency: 3, dryRun: false });
    // What a power cut can leave behind: the right size and time, the wrong bytes. (The record's
    // time is set to the file's, as utimes cannot restore sub-millisecond times exactly.)
    const victim = where(dest, items[2]);
    writeFileSync(victim, Buffer.alloc(statSync(victim).size));
    const statePath = join(dest, '.recpipe-pull-state.json');
    const saved = JSON.parse(readFileSync(statePath, 'utf8'));
    saved.files[victim.slice(dest.length + 1)].mtimeMs = statSync(victim).mtimeMs;
    writeFileSync(statePath, JSON.stringify(saved));
    expect(await pullFiles(items, dest, boot('boot-1'), { concurrency: 3, dryRun: false })).toMatchObject({ downloaded: 0, skipped: 6 });
    expect(await pullFiles(items, dest, boot('boot-2'), { concurrency: 3, dryRun: false })).toMatchObject({ downloaded: 1, skipped: 5 });
    expect(sha(readFileSync(victim))).toBe(items[2].sha256);

    const synced = tempDest();
    await pullFiles(items, synced, boot('boot-2'), { concurrency: 3, dryRun: false, fsync: true });
    const state = JSON.parse(readFileSync(join(synced, '.recpipe-pull-state.json'), 'utf8'));
    expect(state.bootId).toBe('boot-2');
    expect(Object.values(state.files).every((f) => (f as { synced: boolean }).synced === true)).toBe(true);
  });
});
