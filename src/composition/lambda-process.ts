/** The processing Lambda's services, built once per container by src/backend/lambda/process.ts. */
import { stdoutLogger } from '../adapters/log/stdout-logger.js';
import { processDeps } from '../process/deps.js';
import type { ProcessDeps } from '../process/process-session.js';
import { lambdaConfig } from './lambda-config.js';
import { openStorage } from './storage.js';

/** The processing Lambda: raw and lake over one S3 client, the pipeline from the validated config. */
export function processDepsFromEnv(env: NodeJS.ProcessEnv): ProcessDeps {
  const config = lambdaConfig(env, { lake: true });
  const storage = openStorage({ s3: { region: config.region }, rawBucket: config.rawBucket, lakeBucket: config.lakeBucket });
  return processDeps(config, storage.raw, storage.lake, stdoutLogger({ component: 'processing' }));
}
