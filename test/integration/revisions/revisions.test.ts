import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nullLogger } from '../../../src/adapters/log/file-logger.js';
import type { SessionRow } from '../../../src/core/catalog/types.js';
import { catalogSessionKey, revisionManifestKey } from '../../../src/core/layout.js';
import { processSession } from '../../../src/features/process/process-session.js';
import { decodeProcessor } from '../../../src/features/process/steps/decode.js';
import { generateSession } from '../../../src/features/synthetic/generate.js';
import { exitOf, runCli, spawnCli, waitFor } from '../../helpers/cli.js';
import { startTestStack, type TestStack } from '../../helpers/stack.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const ref = { rig: 'local-rig', session: '20210801_100000' };
const process1 = (stack: TestStack) =>
  processSession(ref, { raw: stack.raw, lake: stack.lake, processor: decodeProcessor, pipeline: 'default', pipelineVersion: '1', logger: nullLogger });

describe('session revisions end to end', () => {
  let stack: TestStack;
  const temps: string[] = [];
  const temp = (p: string) => {
    const d = mkdtempSync(join(tmpdir(), p));
    temps.push(d);
    return d;
  };
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.stop();
    for (const d of temps) rmSync(d, { recursive: true, force: true });
  });

  /** Pulls the session into a fresh folder and returns the manifest SHA-256 its provenance names. */
  const pulledManifest = async (session: string): Promise<string> => {
    const q = await runCli(['--json', 'query', `session=${session}`], stack.env);
    expect(q.code).toBe(0);
    const input = join(temp('rp-rev-q-'), 'q.json');
    writeFileSync(input, q.out);
    const dest = temp('rp-rev-dest-');
    expect((await runCli(['pull', '--input', input, '--dest', dest], stack.env)).code).toBe(0);
    return JSON.parse(readFileSync(join(dest, 'local-rig', session, 'default', '1', '_provenance.json'), 'utf8')).manifest_sha256;
  };

  it('holds a revision that changes archived bytes: verify names it, the catalog and pull keep revision 1 until a person accepts it', async () => {
    // Prepare: a session uploaded and processed (revision 1), then the rig appends to a committed file.
    const root = temp('rp-rev-');
    const dir = await generateSession(root, { name: ref.session, files: 2, bytesPerFile: 16_384, seed: 4 });
    expect((await runCli(['upload', dir], stack.env)).code).toBe(0);
    expect((await process1(stack)).status).toBe('done');
    const rev1 = await stack.raw.get(revisionManifestKey(ref, 1));
    appendFileSync(join(dir, 'data_00.bin'), Buffer.alloc(8192, 3));
    const verifyArgs = ['--json', 'verify', '--root', root, '--rig', 'local-rig', '--grace-hours', '0'];

    // Act / Assess: not archived yet -> local_differs (repairable by a re-upload), exit non-zero.
    const before = await runCli(verifyArgs, stack.env);
    expect(before.code).toBe(4);
    expect(JSON.parse(before.out).findings).toEqual([
      expect.objectContaining({ category: 'local_differs', sessionId: 'local-rig/20210801_100000', repair: 'reupload' }),
    ]);

    // Act: upload archives it as revision 2, held: it changes data_00.bin's archived bytes.
    const up = await runCli(['upload', dir], stack.env);
    expect(up.code).toBe(0);
    expect(up.out).toMatch(/session local-rig\/20210801_100000 revision 2 archived, HELD for review: it changes archived bytes of data_00.bin/);
    expect(up.out).toContain('recpipe revisions accept local-rig/20210801_100000 2');
    const held = await runCli(verifyArgs, stack.env);
    expect(held.code).toBe(4);
    expect(JSON.parse(held.out).findings).toEqual([
      expect.objectContaining({ category: 'revision_held', sessionId: 'local-rig/20210801_100000', next: expect.stringContaining('recpipe revisions list') }),
    ]);
    // Processing keeps serving revision 1: nothing lacks it, and pull gives revision 1's outputs.
    const p = await runCli(['--json', 'process', '--pipeline-version', '1'], stack.env);
    expect(JSON.parse(p.out).outcomes).toEqual([]);
    expect((await process1(stack)).status).toBe('already_done');
    expect(await pulledManifest(ref.session)).toBe(sha(rev1));
    const listed = await runCli(['revisions', 'list', '--held'], stack.env);
    expect(listed.out).toMatch(/local-rig\/20210801_100000: serves revision 1 of 2; held: 2/);
    expect(listed.out).toMatch(/changes data_00.bin: 16384 bytes sha256 [0-9a-f]{64} -> 24576 bytes sha256 [0-9a-f]{64}/);

    // Act: a person accepts it; processing follows the decision.
    const accept = await runCli(['revisions', 'accept', 'local-rig/20210801_100000', '2', '--reason', 'recording resumed'], stack.env);
    expect(accept.code).toBe(0);
    expect(accept.out).toMatch(/accepted revision 2 of local-rig\/20210801_100000: revision 2 is served now/);
    expect((await runCli(['revisions', 'accept', 'local-rig/20210801_100000', '2'], stack.env)).code).toBe(3);
    expect((await process1(stack)).status).toBe('done');

    // Assess: the catalog row and pull are the accepted revision's; revision 1 is unchanged.
    const rev2 = await stack.raw.get(revisionManifestKey(ref, 2));
    const row = JSON.parse((await stack.lake.get(catalogSessionKey(ref))).toString()) as SessionRow;
    expect(row.manifest_sha256).toBe(sha(rev2));
    expect((await stack.raw.get(revisionManifestKey(ref, 1))).equals(rev1)).toBe(true);
    const after = await runCli(verifyArgs, stack.env);
    const report = JSON.parse(after.out);
    expect(report.findings).toEqual([]);
    expect(report.revised).toEqual([{ sessionId: 'local-rig/20210801_100000', revision: 2, served: 2, held: [] }]);
    expect(after.code).toBe(0);
    expect(await pulledManifest(ref.session)).toBe(sha(rev2));
  }, 120_000);

  it('serves a revision that only adds files at once', async () => {
    const session = '20210803_100000';
    const root = temp('rp-rev-add-');
    const dir = await generateSession(root, { name: session, files: 1, bytesPerFile: 8192, seed: 6 });
    expect((await runCli(['upload', dir], stack.env)).code).toBe(0);
    writeFileSync(join(dir, 'data_09.bin'), Buffer.alloc(4096, 9));
    const up = await runCli(['upload', dir], stack.env);
    expect(up.out).toMatch(/revision 2 archived \(it adds files only: served at once\)/);
    const r = processSession(
      { rig: 'local-rig', session },
      { raw: stack.raw, lake: stack.lake, processor: decodeProcessor, pipeline: 'default', pipelineVersion: '1', logger: nullLogger },
    );
    expect((await r).status).toBe('done');
    const row = JSON.parse((await stack.lake.get(catalogSessionKey({ rig: 'local-rig', session }))).toString()) as SessionRow;
    expect(row.file_count).toBe(3);
  }, 60_000);

  it('watch archives what the rig writes after the commit as a new revision and says so', async () => {
    const root = temp('rp-rev-watch-');
    const daemon = spawnCli(['watch', root, '--quiet-period', '1'], stack.env);
    try {
      await waitFor(() => daemon.output().includes('watching'), 10_000, 'the daemon');
      const dir = await generateSession(root, { name: '20210802_100000', files: 1, bytesPerFile: 8192, seed: 5 });
      await waitFor(() => daemon.output().includes('uploaded local-rig/20210802_100000'), 20_000, 'the first commit');
      // The rig resumes after a pause longer than the quiet period.
      appendFileSync(join(dir, 'data_00.bin'), Buffer.alloc(4096, 1));
      writeFileSync(join(dir, 'data_01.bin'), Buffer.alloc(4096, 2));
      await waitFor(() => daemon.output().includes('session local-rig/20210802_100000 revision 2 archived'), 30_000, 'revision 2');
      const m = JSON.parse((await stack.raw.get('raw/local-rig/20210802_100000/_revisions/2/_manifest.json')).toString());
      expect(m.files.map((f: { name: string }) => f.name)).toEqual(['data_00.bin', 'data_01.bin', 'metadata.txt']);
      expect(m.files.find((f: { name: string }) => f.name === 'data_00.bin').sha256).toBe(sha(readFileSync(join(dir, 'data_00.bin'))));
    } finally {
      daemon.kill('SIGTERM');
      expect(await exitOf(daemon)).toBe(0);
    }
  }, 90_000);

  it('a byte changed in a committed rig file: verify --root names it, watch archives it held, and pull keeps the accepted revision until it is accepted', async () => {
    const session = '20210804_100000';
    const sref = { rig: 'local-rig', session };
    const id = `local-rig/${session}`;
    const proc = () =>
      processSession(sref, { raw: stack.raw, lake: stack.lake, processor: decodeProcessor, pipeline: 'default', pipelineVersion: '1', logger: nullLogger });
    const root = temp('rp-rev-flip-');
    const dir = await generateSession(root, { name: session, files: 1, bytesPerFile: 8192, seed: 7 });
    expect((await runCli(['upload', dir], stack.env)).code).toBe(0);
    expect((await proc()).status).toBe('done');
    const rev1 = sha(await stack.raw.get(revisionManifestKey(sref, 1)));
    // A byte changes in place (same size): a disk fault and a rewrite look alike.
    const file = join(dir, 'data_00.bin');
    const body = readFileSync(file);
    body[123] ^= 0x40;
    writeFileSync(file, body);
    const v = await runCli(['--json', 'verify', '--root', root, '--rig', 'local-rig', '--grace-hours', '0', '--since', '2021-08-04'], stack.env);
    expect(v.code).toBe(4);
    expect(JSON.parse(v.out).findings).toEqual([expect.objectContaining({ category: 'local_content_differs', sessionId: id, key: 'data_00.bin' })]);

    const daemon = spawnCli(['watch', root, '--quiet-period', '1'], stack.env);
    try {
      await waitFor(() => daemon.output().includes(`session ${id} revision 2 archived, HELD for review`), 30_000, 'revision 2');
    } finally {
      daemon.kill('SIGTERM');
      expect(await exitOf(daemon)).toBe(0);
    }
    expect((await proc()).status).toBe('already_done');
    expect(await pulledManifest(session)).toBe(rev1);
    expect((await runCli(['revisions', 'accept', id, '2'], stack.env)).code).toBe(0);
    expect((await proc()).status).toBe('done');
    expect(await pulledManifest(session)).toBe(sha(await stack.raw.get(revisionManifestKey(sref, 2))));
  }, 90_000);
});
