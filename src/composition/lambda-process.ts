/** The processing Lambda's services, built once per container by src/backend/lambda/process.ts. */
import { batchClient, submitProcessingJob } from '../adapters/aws/batch-jobs.js';
import { stdoutLogger } from '../adapters/log/stdout-logger.js';
import { requireEnv } from '../backend/lambda/env.js';
import { processDeps } from '../process/deps.js';
import type { RoutedDeps } from '../process/route-session.js';
import { lambdaConfig } from './lambda-config.js';
import { openStorage } from './storage.js';

/**
 * The processing Lambda: raw and lake over one S3 client, the pipeline from the validated config,
 * and the container path as the stack's Batch job queue and definition (RECPIPE_JOB_QUEUE,
 * RECPIPE_JOB_DEFINITION, set by the stack).
 */
export function processDepsFromEnv(env: NodeJS.ProcessEnv): RoutedDeps {
  const config = lambdaConfig(env, { lake: true });
  const target = { jobQueue: requireEnv('RECPIPE_JOB_QUEUE', env), jobDefinition: requireEnv('RECPIPE_JOB_DEFINITION', env) };
  const storage = openStorage({ s3: { region: config.region }, rawBucket: config.rawBucket, lakeBucket: config.lakeBucket });
  const batch = batchClient(config.region);
  const deps = processDeps(config, storage.raw, storage.lake, stdoutLogger({ component: 'processing' }));
  return {
    ...deps,
    container: async (ref, route) => {
      const jobId = await submitProcessingJob(batch, target, ref, route.timeoutSec);
      return { sessionId: `${ref.rig}/${ref.session}`, status: 'routed', jobId };
    },
  };
}
