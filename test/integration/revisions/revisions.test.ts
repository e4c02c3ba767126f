import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nullLogger } from '../../../src/adapters/log/file-logger.js';
import type { SessionRow } from '../../../src/core/catalog/types.js';
import { catalogSessionKey, revisionManifestKey } from '../../../src/core/layout.js';
import { processSession } from '../../../src/process/process-session.js';
import { decodeProcessor } from '../../../src/processors/decode.js';
import { generateSession } from '../../../src/synthetic/generate.js';
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

  it('verify calls later content local_differs until it is archived, then reports the revision; processing, catalog and pull follow the newest revision', async () => {
    // Prepare: a session uploaded and processed (revision 1), then the rig writes more into it.
    const root = temp('rp-rev-');
    const dir = await generateSession(root, { name: ref.session, files: 2, bytesPerFile: 16_384, seed: 4 });
    expect((await runCli(['upload', dir], stack.env)).code).toBe(0);
    expect((await process1(stack)).status).toBe('done');
    const rev1 = await stack.raw.get(revisionManifestKey(ref, 1));
    appendFileSync(join(dir, 'data_00.bin'), Buffer.alloc(8192, 3));
    const verifyArgs = ['--json', 'verify', '--root', root, '--rig', 'local-rig', '--grace-hours', '0', '--deep-sample', '100'];

    // Act / Assess: not archived yet -> local_differs (repairable by a re-upload), exit non-zero.
    const before = await runCli(verifyArgs, stack.env);
    const pending = JSON.parse(before.out);
    expect(before.code).not.toBe(0);
    expect(pending.findings).toEqual([expect.objectContaining({ category: 'local_differs', sessionId: 'local-rig/20210801_100000', repair: 'reupload' })]);

    // Act: upload archives it as revision 2; processing runs again for it.
    const up = await runCli(['upload', dir], stack.env);
    expect(up.code).toBe(0);
    expect(up.out + up.err).toMatch(/session local-rig\/20210801_100000 revision 2 archived/);
    // Archived but not processed yet: no longer local_differs; the catalog row is of revision 1.
    const unprocessed = JSON.parse((await runCli(verifyArgs, stack.env)).out);
    expect(unprocessed.findings.map((x: { category: string }) => x.category)).toEqual(['catalog_row_differs']);
    // `recpipe process` counts a session done for an older revision as lacking, and processes it.
    const p = await runCli(['--json', 'process', '--pipeline-version', '1'], stack.env);
    expect(JSON.parse(p.out).outcomes).toEqual([expect.objectContaining({ sessionId: 'local-rig/20210801_100000', status: 'done' })]);
    expect((await process1(stack)).status).toBe('already_done');

    // Assess: the catalog row is the newest revision's; revision 1 is still readable, unchanged.
    const rev2 = await stack.raw.get(revisionManifestKey(ref, 2));
    const row = JSON.parse((await stack.lake.get(catalogSessionKey(ref))).toString()) as SessionRow;
    expect(row.manifest_sha256).toBe(sha(rev2));
    expect(row.total_bytes).toBe(JSON.parse(rev2.toString()).totalBytes);
    expect((await stack.raw.get(revisionManifestKey(ref, 1))).equals(rev1)).toBe(true);
    const after = await runCli(verifyArgs, stack.env);
    const report = JSON.parse(after.out);
    expect(report.findings).toEqual([]);
    expect(report.revised).toEqual([{ sessionId: 'local-rig/20210801_100000', revision: 2 }]);
    expect(after.code).toBe(0);

    // pull stages the outputs of the newest revision.
    const q = await runCli(['--json', 'query', `session=${ref.session}`], stack.env);
    expect(q.code).toBe(0);
    const input = join(temp('rp-rev-q-'), 'q.json');
    writeFileSync(input, q.out);
    const dest = temp('rp-rev-dest-');
    expect((await runCli(['pull', '--input', input, '--dest', dest], stack.env)).code).toBe(0);
    const provenance = JSON.parse(readFileSync(join(dest, 'local-rig', ref.session, 'default', '1', '_provenance.json'), 'utf8'));
    expect(provenance.manifest_sha256).toBe(sha(rev2));
  }, 120_000);

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
});
