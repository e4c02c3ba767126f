/**
 * `recpipe upload` keeps its token between runs (adapters/fs/token-cache.ts; issue 30): a run
 * within the token's lifetime does not authenticate before its first batch. Against the real
 * local stack: the API's own log counts the authentications.
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFileLogger } from '../../../src/adapters/log/file-logger.js';
import { localRigKeyPath } from '../../../src/local/stack-info.js';
import { generateSession } from '../../../src/features/synthetic/generate.js';
import { runCli } from '../../helpers/cli.js';
import { startTestStack } from '../../helpers/stack.js';
import { tempDir } from '../../helpers/tmp.js';

const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('a token kept between runs of recpipe upload', () => {
  it('spares the second run its authentication, is kept 0600 without the key, and a kept token the API refuses is replaced', async () => {
    const home = tempDir('rp-kept-');
    const apiLog = join(home, 'logs', 'local-stack.log');
    const logger = createFileLogger({ path: apiLog, level: 'info' });
    const stack = await startTestStack({ home, logger });
    try {
      const root = tempDir('rp-kept-root-');
      for (const name of ['20210801_100000', '20210801_110000', '20210801_120000']) await generateSession(root, { name, files: 1, bytesPerFile: 1024 * 1024 });
      const auths = () => lines(apiLog).filter((l) => l.event === 'api.request' && l.route === 'authenticate').length;

      expect((await runCli(['upload', join(root, '20210801_100000')], stack.env)).code).toBe(0);
      expect((await runCli(['upload', join(root, '20210801_110000')], stack.env)).code).toBe(0);
      expect(auths()).toBe(1);

      const dir = join(home, 'tokens');
      const [name] = readdirSync(dir);
      const path = join(dir, name);
      expect([statSync(dir).mode & 0o777, statSync(path).mode & 0o777]).toEqual([0o700, 0o600]);
      const kept = JSON.parse(readFileSync(path, 'utf8')) as { token: string; rig: string; expiresAt: string };
      expect(Object.keys(kept).sort()).toEqual(['expiresAt', 'rig', 'token']);
      expect(readFileSync(path, 'utf8')).not.toContain(readFileSync(localRigKeyPath(home), 'utf8').trim().slice(4));

      // A kept token the API no longer takes (here: its MAC broken, as after the API's secret was
      // rotated): dropped, one authentication, and the upload goes through.
      writeFileSync(path, JSON.stringify({ ...kept, token: `${kept.token.slice(0, -4)}AAAA` }));
      const third = await runCli(['upload', join(root, '20210801_120000')], { ...stack.env, RECPIPE_LOG_LEVEL: 'debug' });
      expect(third.code).toBe(0);
      expect(auths()).toBe(2);
      expect(lines(join(home, 'logs', 'recpipe.log')).some((l) => l.event === 'auth.kept_token_refused')).toBe(true);
      expect(JSON.parse(readFileSync(path, 'utf8')).token).not.toBe(`${kept.token.slice(0, -4)}AAAA`);
    } finally {
      await stack.stop();
      await logger.close();
    }
  }, 60_000);
});
