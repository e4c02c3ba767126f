/**
 * The processing Lambda's entry point (src/infra/compute.ts bundles this file): its services,
 * built once per container on the first invocation, and each invocation handed to
 * backend/lambda/process.ts.
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { handleSqsInvocation } from '../backend/lambda/process.js';
import { batchClient, submitProcessingJob } from '../adapters/aws/batch-jobs.js';
import { stdoutLogger } from '../adapters/log/stdout-logger.js';
import { requireEnv } from '../backend/lambda/env.js';
import { processDeps } from '../features/process/deps.js';
import type { RoutedDeps } from '../features/process/route-session.js';
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

let deps: RoutedDeps | undefined;

export async function handler(event: SQSEvent, context?: Context): Promise<SQSBatchResponse> {
  deps ??= processDepsFromEnv(process.env);
  return handleSqsInvocation(event, deps, context);
}
