/**
 * kill -9 of the embedded stack while s3rver writes an object: after a restart on the same
 * folder the key holds the whole object or nothing, never a short one, and a re-upload works.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnCli, waitFor, exitOf } from '../../helpers/cli.js';
import { startTestStack } from '../../helpers/stack.js';
import { createS3Client } from '../../../src/adapters/s3/client.js';
import { S3ObjectStore } from '../../../src/adapters/s3/object-store.js';
import { stackInfoPath, localDir } from '../../../src/local/stack-info.js';
import { tempDir } from '../../helpers/tmp.js';

const MiB = 1024 * 1024;
let home: string;
beforeAll(() => {
  home = tempDir('rp-kill-');
});
let afterCleanup = () => {};
afterAll(() => {
  afterCleanup();
  rmSync(home, { recursive: true, force: true });
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('embedded stack killed mid-write', () => {
  it('never serves a partial object after a restart, and takes the re-upload', async () => {
    // Prepare: a stack in a child process; a big write under way
    const stack = spawnCli(['local', 'up', '--no-processing'], { RECPIPE_HOME: home });
    afterCleanup = () => {
      if (stack.exitCode === null) stack.kill('SIGKILL');
    };
    await waitFor(
      () => existsSync(stackInfoPath(home)) && JSON.parse(readFileSync(stackInfoPath(home), 'utf8')).pid === stack.pid,
      30_000,
      'the stack to start',
    );
    const info = JSON.parse(readFileSync(stackInfoPath(home), 'utf8'));
    const client = createS3Client({ region: info.region, endpoint: info.s3, credentials: info.credentials, maxAttempts: 1 });
    const key = 'raw/local-rig/20210101_000000/big.bin';
    const body = Buffer.alloc(128 * MiB, 0x42);
    const writes = join(localDir(home), 's3', 'writes');
    const put = new S3ObjectStore(client, info.buckets.raw).put(key, body, { ifNoneMatch: true }).catch(() => undefined);
    // Act: kill -9 once the gateway has announced the write to s3rver. The intent file must be
    // whole: one seen while it is still being written announces a write that has not started
    // (the restart then rightly finds nothing to clean, and the kill tested nothing).
    const announced = () => {
      if (!existsSync(writes)) return false;
      return readdirSync(writes).some((n) => {
        try {
          return typeof (JSON.parse(readFileSync(join(writes, n), 'utf8')) as { key?: unknown }).key === 'string';
        } catch {
          return false;
        }
      });
    };
    await waitFor(announced, 60_000, 'the write to start');
    stack.kill('SIGKILL');
    await exitOf(stack);
    await put;
    client.destroy();
    const again = await startTestStack({ home });
    try {
      // Assess: nothing or the whole object, and the key still takes the upload when empty
      const head = await again.raw.head(key);
      if (head) expect(sha(await again.raw.get(key))).toBe(sha(body));
      else await again.raw.put(key, body, { ifNoneMatch: true });
      expect(again.s3.cleanup.partialObjects + (head ? 1 : 0)).toBeGreaterThanOrEqual(1);
      expect(sha(await again.raw.get(key))).toBe(sha(body));
    } finally {
      await again.stop();
    }
  }, 120_000);
});
