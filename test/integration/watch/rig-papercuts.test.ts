/**
 * Issue 24's rig papercuts, each as a technician meets it, against the real embedded stack:
 * a renamed folder, a key fixed after a failed run, warnings, and how often an upload is announced.
 */
import { appendFileSync, readdirSync, renameSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli.js';
import { startTestStack, type TestStack } from '../../helpers/stack.js';
import { onCleanup, tempDir } from '../../helpers/tmp.js';
import { generateSession } from '../../../src/features/synthetic/generate.js';
import { createFileLogger } from '../../../src/adapters/log/file-logger.js';
import { foldRigEvents, readRigEvents } from '../../../src/features/ui/rig-events.js';

const manifest = (s: string) => `raw/local-rig/${s}/_manifest.json`;

/** Makes every file of a session look finished long ago (so `--once` takes it at once). */
function settle(dir: string): void {
  const past = new Date(Date.now() - 120_000);
  for (const n of readdirSync(dir)) utimesSync(join(dir, n), past, past);
}

describe('recpipe watch on a rig: papercuts', () => {
  let stack: TestStack;
  beforeAll(async () => {
    // The stack logs the events rigs ship, as `recpipe local up` does: the web view's Rigs page reads them.
    const home = tempDir('rp-stack-');
    const logger = createFileLogger({ path: join(home, 'logs', 'recpipe-stack.log'), level: 'info' });
    stack = await startTestStack({ home, logger });
    onCleanup(() => logger.close());
  });
  afterAll(() => stack.stop());

  const rigView = async () => foldRigEvents(await readRigEvents(join(stack.home, 'logs'))).get('local-rig');
  const status = async (root: string) => JSON.parse((await runCli(['--json', 'status', '--root', root], stack.env)).out);

  it('forgets a folder renamed to fix its name: status --root and the web view stop listing it invalid', async () => {
    const root = tempDir('rp-watch-');
    const bad = await generateSession(root, { name: '20210229_161221', files: 1, bytesPerFile: 4096 });
    settle(bad);
    expect((await runCli(['watch', root, '--once'], stack.env)).code).toBe(1);
    expect((await status(root)).sessions['20210229_161221']).toMatchObject({ state: 'invalid' });
    expect((await rigView())?.invalid).toContain('local-rig/20210229_161221');

    renameSync(bad, join(root, '20210228_161221'));
    const r = await runCli(['--json', 'watch', root, '--once'], stack.env);
    expect(JSON.parse(r.out)).toMatchObject({ uploaded: ['20210228_161221'], invalid: [] });
    expect(Object.keys((await status(root)).sessions)).toEqual(['20210228_161221']);
    expect((await rigView())?.invalid ?? []).not.toContain('local-rig/20210229_161221');
  });

  it('after a wrong key is fixed, the next --once run says why the last one failed and uploads the session', async () => {
    const root = tempDir('rp-watch-');
    settle(await generateSession(root, { name: '20210305_100000', files: 1, bytesPerFile: 4096 }));
    const wrong = await runCli(['watch', root, '--once'], { ...stack.env, RECPIPE_API_KEY: 'rpk_000000000000_notakeynotakeynotakey' });
    expect(wrong.code).toBe(1);
    expect(wrong.out).toMatch(/1 failed under/);
    // The reason is printed with the session, not just a count.
    expect(wrong.out).toMatch(/^ {2}20210305_100000: failed: \S.{10,}/m);

    const fixed = await runCli(['--json', 'watch', root, '--once'], stack.env);
    expect(fixed.code).toBe(0);
    expect(JSON.parse(fixed.out)).toMatchObject({ uploaded: ['20210305_100000'], failed: [] });
    expect(await stack.raw.head(manifest('20210305_100000'))).toBeDefined();
  });

  it('prints each content warning on a line of its own and announces the upload once', async () => {
    const root = tempDir('rp-watch-');
    const dir = await generateSession(root, { name: '20210306_100000', files: 2, bytesPerFile: 4000 });
    for (const f of ['data_00.bin', 'data_01.bin']) appendFileSync(join(dir, f), Buffer.from([7]));
    settle(dir);
    const r = await runCli(['watch', root, '--once'], stack.env);
    expect(r.code).toBe(0);
    const lines = r.err.split('\n');
    const perFile = lines.filter((l) => /^warning: {3}\S+\/20210306_100000\/data_0[01]\.bin: /.test(l));
    expect(perFile).toHaveLength(2);
    for (const l of perFile) expect(l).not.toMatch(/data_00\.bin.*data_01\.bin/);
    const announced = lines.filter((l) => l.includes('20210306_100000') && /uploaded/.test(l));
    expect(announced).toEqual([expect.stringMatching(/^ok: uploaded local-rig\/20210306_100000: 3 files/)]);
  });
});
