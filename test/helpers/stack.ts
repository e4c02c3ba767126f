/** Starts the real local stack in the test process, on random ports, under a temp RECPIPE_HOME. */
import { loadConfig } from '../../src/config/load.js';
import { nullLogger } from '../../src/adapters/log/file-logger.js';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../src/composition/local-stack.js';
import { createS3Client } from '../../src/adapters/s3/client.js';
import { S3ObjectStore } from '../../src/adapters/s3/object-store.js';
import { onCleanup, once, tempDir } from './tmp.js';

export interface TestStack extends LocalStack {
  home: string;
  env: Record<string, string>;
  raw: S3ObjectStore;
  lake: S3ObjectStore;
  stop(): Promise<void>;
}

export async function startTestStack(options: Partial<LocalStackOptions> & { env?: Record<string, string>; home?: string } = {}): Promise<TestStack> {
  const home = options.home ?? tempDir('rp-stack-');
  // The watch daemon's default low priority (nice 19) would starve it on a loaded test machine;
  // test/unit/ingest/low-priority.test.ts pins that behaviour.
  const env = { RECPIPE_HOME: home, RECPIPE_WATCH_PRIORITY: 'normal', ...(options.env ?? {}) };
  const config = loadConfig({ env }).config;
  const stack = await startLocalStack({ config, logger: nullLogger, processing: false, ...options });
  const client = createS3Client({ region: stack.info.region, endpoint: stack.info.s3, credentials: stack.info.credentials });
  // Stopped when the test file ends even if the file forgets to (before its home is removed).
  const stop = once(async () => {
    client.destroy();
    await stack.close();
  });
  onCleanup(stop);
  return {
    ...stack,
    home,
    env,
    raw: new S3ObjectStore(client, stack.info.buckets.raw),
    lake: new S3ObjectStore(client, stack.info.buckets.lake),
    stop,
  };
}
