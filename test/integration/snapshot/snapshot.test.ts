/**
 * Snapshots end to end on the embedded stack, through the CLI: a snapshot taken before a session
 * arrives and before another is revised and processed again, pulled afterwards, gives exactly
 * its own files, byte for byte (the revised outputs are read from where processing kept them);
 * its name cannot be reused for other files; list, show, diff and the snapshots table agree.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { createS3Client } from '../../../src/adapters/s3/client.js';
import { nullLogger } from '../../../src/adapters/log/file-logger.js';
import { loadConfig } from '../../../src/config/load.js';
import { ProfileSource } from '../../../src/features/ui/profile-source.js';
import { openServices } from '../../../src/composition/services.js';
import { keptOutputKey, ledgerKey } from '../../../src/core/layout.js';
import { processSession } from '../../../src/features/process/process-session.js';
import { decodeProcessor } from '../../../src/features/process/steps/decode.js';
import { generateSession } from '../../../src/features/synthetic/generate.js';
import { runCli } from '../../helpers/cli.js';
import { startTestStack, type TestStack } from '../../helpers/stack.js';
import { tempDir } from '../../helpers/tmp.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const A = '20210901_100000';
const B = '20210902_100000';
const processed = (stack: TestStack, session: string) =>
  processSession(
    { rig: 'local-rig', session },
    { raw: stack.raw, lake: stack.lake, processor: decodeProcessor, pipeline: 'default', pipelineVersion: '1', logger: nullLogger },
  );
/** Every file under `dir`, relative, sorted. */
const tree = (dir: string, at = ''): string[] =>
  readdirSync(join(dir, at), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? tree(dir, join(at, e.name)) : [join(at, e.name)]))
    .sort();

describe('recpipe snapshot', () => {
  let stack: TestStack;
  let root: string;
  beforeAll(async () => {
    stack = await startTestStack();
    root = tempDir('rp-snap-');
  });
  afterAll(() => stack.stop());

  it('pins exactly its files: a session that arrives later and a revision processed later change nothing in it', async () => {
    // Prepare: session A uploaded and processed; snapshot v1 taken.
    const dirA = await generateSession(root, { name: A, files: 2, bytesPerFile: 16_384, seed: 7 });
    expect((await runCli(['upload', dirA], stack.env)).code).toBe(0);
    expect((await processed(stack, A)).status).toBe('done');
    const created = await runCli(['--json', 'snapshot', 'create', 'v1', 'fatigue>=0'], stack.env);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.out)).toMatchObject({ name: 'v1', created: true, sessions: 1 });
    const v1 = JSON.parse((await runCli(['--json', 'snapshot', 'show', 'v1'], stack.env)).out) as {
      key: string;
      sha256: string;
      revision: number;
      file: string;
    }[];
    expect(v1.length).toBeGreaterThan(1);
    expect(v1.every((r) => r.revision === 1)).toBe(true);

    // Act: session B arrives; the rig writes more into A (revision 2), which is processed again.
    const dirB = await generateSession(root, { name: B, files: 1, bytesPerFile: 8192, seed: 8 });
    expect((await runCli(['upload', dirB], stack.env)).code).toBe(0);
    expect((await processed(stack, B)).status).toBe('done');
    appendFileSync(join(dirA, 'data_00.bin'), Buffer.alloc(8192, 3));
    expect((await runCli(['upload', dirA], stack.env)).code).toBe(0);
    // Changed bytes are held for review (issue 27): a person accepts them, then they are served.
    expect((await runCli(['revisions', 'accept', `local-rig/${A}`, '2'], stack.env)).code).toBe(0);
    expect((await processed(stack, A)).status).toBe('done');
    const npy = v1.find((r) => r.file === 'data_00.npy')!;
    expect(sha(await stack.lake.get(npy.key))).not.toBe(npy.sha256);
    expect(sha(await stack.lake.get(keptOutputKey(npy.sha256)))).toBe(npy.sha256);

    // Assess: the snapshot pulls exactly its files, with the bytes it froze.
    const dest = tempDir('rp-snap-dest-');
    const pulled = await runCli(['--json', 'pull', '--snapshot', 'v1', '--dest', dest], stack.env);
    expect(pulled.code).toBe(0);
    const files = tree(dest).filter((p) => !p.startsWith('.') && p !== 'recpipe-pull.json');
    expect(files).toEqual(v1.map((r) => join('local-rig', A, 'default', '1', r.file)).sort());
    for (const r of v1) expect(sha(readFileSync(join(dest, 'local-rig', A, 'default', '1', r.file)))).toBe(r.sha256);
    const manifest = JSON.parse(readFileSync(join(dest, 'recpipe-pull.json'), 'utf8'));
    expect(manifest).toMatchObject({ query: { snapshot: 'v1' }, profile: 'local', recpipeVersion: expect.any(String) });
    expect(manifest.files.every((f: { revision: number; pipelineVersion: string }) => f.revision === 1 && f.pipelineVersion === '1')).toBe(true);

    // The query itself now sees revision 2 and both sessions.
    const now = JSON.parse((await runCli(['--json', 'query'], stack.env)).out) as { session: string; revision: number }[];
    expect(new Set(now.map((r) => `${r.session}@${r.revision}`))).toEqual(new Set([`${A}@2`, `${B}@1`]));
  }, 120_000);

  it('never reuses a name for other files (exit 3, saying why); the same files again is a no-op', async () => {
    const again = await runCli(['snapshot', 'create', 'v1', 'fatigue>=0'], stack.env);
    expect(again.code).toBe(3);
    expect(again.err).toMatch(/snapshot "v1" already exists with other files .*a snapshot name is never reused/);
    const v2 = await runCli(['snapshot', 'create', 'v2', `session=${B}`], stack.env);
    expect(v2.code).toBe(0);
    const same = await runCli(['snapshot', 'create', 'v2', `session=${B}`], stack.env);
    expect(same.code).toBe(0);
    expect(same.out).toMatch(/already holds exactly these .*nothing was written/);
  });

  it('takes the files a read-only SQL query names by key', async () => {
    const sql = "SELECT key FROM processed_files WHERE file LIKE '%.stats.json'";
    const r = await runCli(['--json', 'snapshot', 'create', 'stats', '--sql', sql], stack.env);
    expect(r.code).toBe(0);
    const rows = JSON.parse((await runCli(['--json', 'snapshot', 'show', 'stats'], stack.env)).out) as { file: string; query: string; revision: number }[];
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.every((x) => x.file.endsWith('.stats.json') && x.query === sql && x.revision >= 1)).toBe(true);
    const nokey = await runCli(['snapshot', 'create', 'nokey', '--sql', 'SELECT session_id FROM sessions'], stack.env);
    expect(nokey.code).toBe(2);
    expect(nokey.err).toMatch(/must return a "key" column/);
  });

  it('refuses a bad name (exit 2), an empty one (exit 1, saying why) and a session being processed (exit 6)', async () => {
    const bad = await runCli(['snapshot', 'create', 'My Set', 'fatigue>=0'], stack.env);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^error: invalid snapshot name "My Set": use 1-63 lowercase letters/);
    const empty = await runCli(['snapshot', 'create', 'none', 'hardware_model=nope'], stack.env);
    expect(empty.code).toBe(1);
    expect(empty.err).toMatch(/nothing matches: no session has hardware_model=nope/);
    const key = ledgerKey({ rig: 'local-rig', session: B }, 'default', '1');
    const entry = await stack.lake.get(key);
    await stack.lake.put(key, JSON.stringify({ ...JSON.parse(entry.toString()), state: 'running' }));
    try {
      const busy = await runCli(['snapshot', 'create', 'busy', `session=${B}`], stack.env);
      expect(busy.code).toBe(6);
      expect(busy.err).toMatch(/is being processed: its outputs may be changing; no snapshot was written/);
    } finally {
      await stack.lake.put(key, entry);
    }
    expect((await runCli(['--json', 'snapshot', 'show', 'busy'], stack.env)).code).toBe(1);
  });

  it('lists, shows and compares snapshots, and the snapshots table answers SQL', async () => {
    const list = JSON.parse((await runCli(['--json', 'snapshot', 'list'], stack.env)).out) as { name: string }[];
    expect(list.map((s) => s.name).sort()).toEqual(['stats', 'v1', 'v2']);
    const diff = JSON.parse((await runCli(['--json', 'snapshot', 'diff', 'v1', 'v2'], stack.env)).out);
    expect(diff.same).toBe(0);
    expect(diff.added.every((k: string) => k.includes(B))).toBe(true);
    expect(diff.removed.every((k: string) => k.includes(A))).toBe(true);
    const sql = await runCli(['--json', 'query', '--sql', 'SELECT snapshot, count(*) AS files FROM snapshots GROUP BY snapshot ORDER BY snapshot'], stack.env);
    expect(JSON.parse(sql.out).map((r: { snapshot: string }) => r.snapshot)).toEqual(['stats', 'v1', 'v2']);
    // The web view reads the same snapshots.
    const config = loadConfig({ env: stack.env }).config;
    const ui = new ProfileSource(config, () => openServices(config, nullLogger));
    expect((await ui.snapshots()).map((x) => x.name).sort()).toEqual(['stats', 'v1', 'v2']);
    expect((await ui.snapshot('v2'))?.every((r) => r.session_id.endsWith(B))).toBe(true);
    expect(await ui.snapshot('../v1')).toBeUndefined();
    const typo = await runCli(['snapshot', 'show', 'v3'], stack.env);
    expect(typo.code).toBe(1);
    expect(typo.err).toMatch(/no snapshot named "v3"; did you mean v1/);
  });

  it('verify finds every snapshot file at its key or kept, and names one that no copy holds any more, with the next step (exit 4)', async () => {
    type Finding = { category: string; sessionId?: string; key?: string; message: string; next?: string };
    const snapshotFindings = async () => {
      const r = await runCli(['--json', 'verify', '--grace-hours', '0'], stack.env);
      return { code: r.code, found: (JSON.parse(r.out).findings as Finding[]).filter((f) => f.category === 'snapshot_file_missing') };
    };
    expect((await snapshotFindings()).found).toEqual([]);
    // The bytes v1 froze for data_00.npy survive only as the copy processing kept; lose it.
    const v1 = JSON.parse((await runCli(['--json', 'snapshot', 'show', 'v1'], stack.env)).out) as { key: string; sha256: string; file: string }[];
    const npy = v1.find((r) => r.file === 'data_00.npy')!;
    const client = createS3Client({ region: stack.info.region, endpoint: stack.info.s3, credentials: stack.info.credentials });
    try {
      await client.send(new DeleteObjectCommand({ Bucket: stack.info.buckets.lake, Key: keptOutputKey(npy.sha256) }));
    } finally {
      client.destroy();
    }
    const after = await snapshotFindings();
    expect(after.code).toBe(4);
    expect(after.found).toEqual([
      expect.objectContaining({
        sessionId: `local-rig/${A}`,
        key: npy.key,
        message: expect.stringMatching(/^snapshot "v1" names it with SHA-256 .*\(processed again since\), and no copy was kept at processed\/_kept\//),
        next: expect.stringContaining(`copy that version to processed/_kept/`),
      }),
    ]);
  });
});
