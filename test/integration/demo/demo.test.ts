import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tmp.js';

describe('recpipe demo', () => {
  it('runs the whole pipeline green on small sessions and leaves the invalid one untouched', async () => {
    const home = tempDir('rp-demo-');
    const r = await runCli(['--json', 'demo', '--size-kb', '64'], { RECPIPE_HOME: home });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.ok).toBe(true);
    expect(out.checks.map((c: { step: string }) => c.step)).toEqual(['local stack', 'record', 'validate', 'upload', 'process', 'query', 'pull']);
    expect(existsSync(join(home, 'rig-data', '20210229_161221', 'metadata.txt'))).toBe(true);
    expect(readdirSync(join(home, 'pulled', 'local-rig')).sort()).toEqual(['20210203_141500', '20210208_101000']);
    expect(existsSync(join(home, 'local', 'stack.json'))).toBe(false);
  }, 60_000);
});
