/** `recpipe check ROOT` given the watch root checks each session folder in it, as the daemon would take them. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli.js';
import { generateInvalidSessions, generateSession } from '../../../src/features/synthetic/generate.js';
import { tempDir } from '../../helpers/tmp.js';

describe('recpipe check on the watch root', () => {
  it('checks every session folder under it, and names the folders watch would leave alone', async () => {
    const root = tempDir('rp-check-root-');
    await generateSession(root, { name: '20210228_161221', files: 1, bytesPerFile: 4000 });
    await generateSession(root, { name: '20210301_161221', files: 1, bytesPerFile: 4000 });
    mkdirSync(join(root, 'session 3'));
    const r = await runCli(['check', root], { RECPIPE_HOME: tempDir('rp-home-') });
    expect(r.out).toContain(`${root} holds session folders (a watch root): checking its 2 session folder(s) and 1 other folder(s)`);
    expect(r.out).toMatch(new RegExp(`^ok ${root}/20210228_161221: 2 files`, 'm'));
    expect(r.out).toMatch(new RegExp(`^ok ${root}/20210301_161221: 2 files`, 'm'));
    expect(r.out).toMatch(new RegExp(`^${root}/session 3: .*name`, 'm'));
    expect(r.out).toMatch(/2 valid, 1 invalid\s*$/);
    expect(r.code).toBe(1);
  });

  it('exits 0 on a root whose sessions are all valid, and reports each by path in --json', async () => {
    const root = tempDir('rp-check-root-');
    await generateSession(root, { name: '20210228_161221', files: 1, bytesPerFile: 4000 });
    const r = await runCli(['--json', 'check', root], { RECPIPE_HOME: tempDir('rp-home-') });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual([expect.objectContaining({ dir: join(root, '20210228_161221'), ok: true })]);
  });

  it('still checks a session folder given by itself, sub-folders and all', async () => {
    const root = tempDir('rp-check-root-');
    const [, , nested] = await generateInvalidSessions(root);
    const r = await runCli(['--json', 'check', nested], { RECPIPE_HOME: tempDir('rp-home-') });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toHaveLength(1);
  });
});
