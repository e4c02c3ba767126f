import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { exitOf, runCli, spawnCli, waitFor } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tmp.js';

describe('recpipe local up', () => {
  it('serves on loopback, is found by other commands, and shuts down cleanly on SIGTERM', async () => {
    // Prepare
    const home = tempDir('rp-up-');
    const child = spawnCli(['local', 'up'], { RECPIPE_HOME: home });
    try {
      await waitFor(() => child.output().includes('ready'), 20_000, 'the ready line');
      // Act
      const status = await runCli(['--json', 'local', 'status'], { RECPIPE_HOME: home });
      const second = await runCli(['local', 'up'], { RECPIPE_HOME: home });
      // Assess
      expect(status.code).toBe(0);
      const info = JSON.parse(status.out);
      expect(info.api).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(info.s3).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(info.buckets).toEqual({ raw: 'recpipe-raw', lake: 'recpipe-lake' });
      expect(info.dataDir).toBe(join(home, 'local'));
      expect(child.output()).toContain(info.api);
      expect(second.code).toBe(6);
      expect(second.err).toMatch(/already running/);
      const health = await fetch(`${info.api}/v1/auth`, { method: 'POST', body: JSON.stringify({ apiKey: 'rpk_nope' }) });
      expect(health.status).toBe(401);
      expect(existsSync(join(home, 'local', 'rig-key'))).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exitOf(child)).toBe(0);
    expect(existsSync(join(home, 'local', 'stack.json'))).toBe(false);
    const after = await runCli(['local', 'status'], { RECPIPE_HOME: home });
    expect(after.code).toBe(5);
    expect(after.err).toMatch(/no local stack is running/);
  });
});
