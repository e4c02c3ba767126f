/**
 * A folder that matches a query, through the CLI on the embedded stack: --sync removes what an
 * earlier pull put there and no longer matches, never a file the user put there (or changed);
 * --dry-run shows it first; --existing decides about files that differ; an empty pull says so
 * (--fail-empty exits 1); recpipe-pull.json says what produced it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli.js';
import { writeCatalog, writeFixtureOutputs } from '../../helpers/catalog-fixture.js';
import { startTestStack, type TestStack } from '../../helpers/stack.js';
import { tempDir } from '../../helpers/tmp.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
  await writeCatalog(stack.lake);
  await writeFixtureOutputs(stack.lake);
});
afterAll(() => stack.stop());

/** Where a fixture session's outputs land. */
const at = (dest: string, rigSession: string, file = 'data_00.npy') => join(dest, rigSession, 'default', '1', file);
const FATIGUE_4 = ['rig-b/20210210_120000', 'rig-b/20210301_080000'];
const FATIGUE_3_ONLY = 'rig-a/20210203_090000';

describe('pull --sync', () => {
  it("removes the files of an earlier pull that no longer match, keeps the user's own and changed files, and shows it first with --dry-run", async () => {
    // Prepare: a pull of fatigue>=3 (three sessions), then the user adds a note and edits one file.
    const dest = tempDir('rp-sync-');
    expect((await runCli(['pull', 'fatigue>=3', '--dest', dest], stack.env)).code).toBe(0);
    writeFileSync(join(dest, 'my-notes.txt'), 'mine');
    mkdirSync(join(dest, 'rig-a', FATIGUE_3_ONLY.split('/')[1], 'mine'), { recursive: true });
    writeFileSync(join(dest, 'rig-a', FATIGUE_3_ONLY.split('/')[1], 'mine', 'plot.png'), 'png');
    writeFileSync(at(dest, FATIGUE_3_ONLY, 'data_00.stats.json'), 'edited by hand, longer than before');

    // Act: --dry-run first, then the real --sync to fatigue>=4.
    const dry = await runCli(['--json', 'pull', 'fatigue>=4', '--dest', dest, '--sync', '--dry-run'], stack.env);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.out)).toMatchObject({ dryRun: true, removed: [join(FATIGUE_3_ONLY, 'default', '1', 'data_00.npy')] });
    expect(existsSync(at(dest, FATIGUE_3_ONLY))).toBe(true);
    const r = await runCli(['pull', 'fatigue>=4', '--dest', dest, '--sync'], stack.env);

    // Assess: only the earlier pull's unchanged file of the session that no longer matches went.
    expect(r.code).toBe(0);
    expect(r.out).toContain(`removed 1 an earlier pull put there (--sync): ${join(FATIGUE_3_ONLY, 'default', '1', 'data_00.npy')}`);
    expect(r.err).toMatch(/data_00\.stats\.json was put here by an earlier pull but changed since: left as it is/);
    expect(existsSync(at(dest, FATIGUE_3_ONLY))).toBe(false);
    expect(readFileSync(at(dest, FATIGUE_3_ONLY, 'data_00.stats.json'), 'utf8')).toMatch(/edited by hand/);
    expect(readFileSync(join(dest, 'my-notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(dest, 'rig-a', FATIGUE_3_ONLY.split('/')[1], 'mine', 'plot.png'))).toBe(true);
    for (const s of FATIGUE_4) expect(existsSync(at(dest, s))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(dest, 'recpipe-pull.json'), 'utf8'));
    expect(manifest.files.map((f: { sessionId: string }) => f.sessionId).sort()).toEqual([...FATIGUE_4, ...FATIGUE_4].sort());
    expect(manifest).toMatchObject({ query: { filters: ['fatigue>=4'] }, profile: 'local', recpipeVersion: expect.any(String) });
    expect(manifest.files[0]).toMatchObject({ pipelineVersion: '1', revision: null });
  });

  it('without --sync leaves earlier files alone', async () => {
    const dest = tempDir('rp-nosync-');
    expect((await runCli(['pull', 'fatigue>=3', '--dest', dest], stack.env)).code).toBe(0);
    expect((await runCli(['pull', 'fatigue>=4', '--dest', dest], stack.env)).code).toBe(0);
    expect(existsSync(at(dest, FATIGUE_3_ONLY))).toBe(true);
  });
});

describe('files already in the destination', () => {
  it('a damaged file is downloaded again and named (stderr and --json); --existing skip leaves it; --existing error stops first (exit 3)', async () => {
    const dest = tempDir('rp-existing-');
    expect((await runCli(['pull', 'hardware_model=QX-7', '--dest', dest], stack.env)).code).toBe(0);
    const victim = at(dest, 'rig-b/20210301_080000');
    const good = readFileSync(victim);
    writeFileSync(victim, Buffer.alloc(good.length));
    const rel = join('rig-b', '20210301_080000', 'default', '1', 'data_00.npy');

    const err = await runCli(['pull', 'hardware_model=QX-7', '--dest', dest, '--existing', 'error'], stack.env);
    expect(err.code).toBe(3);
    expect(err.err).toContain(`1 file(s) in the destination differ from the index: ${rel}; nothing was downloaded`);
    const skip = await runCli(['--json', 'pull', 'hardware_model=QX-7', '--dest', dest, '--existing', 'skip'], stack.env);
    expect(JSON.parse(skip.out)).toMatchObject({ kept: [rel], downloaded: 0 });
    expect(readFileSync(victim).equals(good)).toBe(false);

    const fixed = await runCli(['--json', 'pull', 'hardware_model=QX-7', '--dest', dest], stack.env);
    expect(JSON.parse(fixed.out)).toMatchObject({ replaced: [rel], downloaded: 1 });
    expect(readFileSync(victim).equals(good)).toBe(true);
    const plain = await runCli(['pull', 'hardware_model=QX-7', '--dest', dest], stack.env);
    expect(plain.out).not.toMatch(/replaced/);

    writeFileSync(victim, 'short');
    const human = await runCli(['pull', 'hardware_model=QX-7', '--dest', dest], stack.env);
    expect(human.err).toContain(`${rel} differs from the index (damaged or changed since it was pulled): downloading it again`);
    const bad = await runCli(['pull', 'hardware_model=QX-7', '--dest', dest, '--existing', 'sometimes'], stack.env);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe('error: --existing must be one of overwrite, skip, error, got "sometimes"\n');
  });
});

describe('an empty pull', () => {
  it('says so and why, changes nothing, and exits 1 with --fail-empty (and with --sync)', async () => {
    const dest = tempDir('rp-empty-');
    const r = await runCli(['pull', 'hardware_model=nx-200', '--dest', dest], stack.env);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/nothing matches: no session has hardware_model=nx-200; did you mean hardware_model=NX-200/);
    expect(r.out).toMatch(/nothing to pull; nothing in .* was changed/);
    expect(existsSync(join(dest, 'recpipe-pull.json'))).toBe(false);
    const failed = await runCli(['pull', 'hardware_model=nx-200', '--dest', dest, '--fail-empty'], stack.env);
    expect(failed.code).toBe(1);
    const sync = await runCli(['pull', 'hardware_model=nx-200', '--dest', dest, '--sync'], stack.env);
    expect(sync.code).toBe(1);
    expect(sync.err).toMatch(/--sync with no files would remove everything/);
  });
});
