import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli.js';
import { startTestStack } from '../../helpers/stack.js';
import { createFileLogger } from '../../../src/adapters/log/file-logger.js';
import { generateSession } from '../../../src/features/synthetic/generate.js';
import { tempDir } from '../../helpers/tmp.js';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

describe('secrets never reach a log', () => {
  it('a canary API key, its tokens and presigned signatures appear in no log after a full run', async () => {
    // Prepare: a stack whose API logs to a file, and a freshly enrolled canary key.
    const home = tempDir('rp-canary-');
    const logger = createFileLogger({ path: join(home, 'logs', 'local-stack.log'), level: 'debug' });
    const stack = await startTestStack({ home, logger });
    try {
      const created = JSON.parse((await runCli(['--json', 'keys', 'create', '--rig', 'canary-rig'], stack.env)).out);
      const canary: string = created.apiKey;
      expect(canary).toMatch(/^rpk_/);
      const env = { ...stack.env, RECPIPE_API_KEY: canary, RECPIPE_LOG_LEVEL: 'debug' };
      const root = tempDir('rp-canary-root-');
      await generateSession(root, { name: '20210801_100000', files: 1, bytesPerFile: 6 * 1024 * 1024 });
      // Act: every client path that handles the key, tokens or URLs.
      expect((await runCli(['upload', join(root, '20210801_100000'), '--part-size-mib', '5'], { ...env, RECPIPE_MULTIPART_THRESHOLD_MIB: '5' })).code).toBe(0);
      await runCli(['watch', root, '--once', '--quiet-period', '0'], env);
      await runCli(['upload', join(root, 'missing_folder')], env);
      await runCli(['config', 'show'], env);
      await runCli(['upload', join(root, '20210801_100000')], { ...env, RECPIPE_API_KEY: canary + 'x' });
      // Assess
      const logs = files(home).filter((p) => /\.log|\.jsonl/.test(p));
      expect(logs.length).toBeGreaterThan(0);
      const text = logs.map((p) => readFileSync(p, 'utf8')).join('\n');
      expect(text.length).toBeGreaterThan(1000);
      expect(text).not.toContain(canary.slice(4));
      expect(text).not.toMatch(/rpt1\.[A-Za-z0-9_-]{10,}/);
      expect(text).not.toMatch(/X-Amz-Signature=[0-9a-f]{16,}/i);
      expect(text).not.toContain(stack.info.credentials.secretAccessKey);
    } finally {
      await stack.stop();
      await logger.close();
    }
  }, 60_000);
});
