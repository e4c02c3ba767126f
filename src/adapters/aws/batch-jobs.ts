/**
 * The container path on AWS: one AWS Batch job per routed session, on the stack's Fargate job
 * queue and job definition (src/infra/processing-job.ts). The job runs
 * `recpipe process --session <id> --container-job --timeout-sec <s>`; its parameters carry the
 * session and the timeout the route chose, and the attempt's duration limit is that timeout.
 * Submitting twice (an SQS redelivery) starts two jobs; the ledger lets one of them work.
 */
import { BatchClient, SubmitJobCommand } from '@aws-sdk/client-batch';
import type { SessionRef } from '../../core/layout.js';

/** Where jobs go. */
export interface BatchTarget {
  jobQueue: string;
  jobDefinition: string;
}

/** A Batch job name (letters, digits, - and _, at most 128) for a session. */
export function jobName(ref: SessionRef): string {
  return `recpipe-${ref.rig}-${ref.session}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 128);
}

/** Submits the processing job of `ref`; returns the job id. */
export async function submitProcessingJob(client: BatchClient, target: BatchTarget, ref: SessionRef, timeoutSec: number): Promise<string> {
  const out = await client.send(
    new SubmitJobCommand({
      jobName: jobName(ref),
      jobQueue: target.jobQueue,
      jobDefinition: target.jobDefinition,
      parameters: { session: `${ref.rig}/${ref.session}`, timeoutSec: String(timeoutSec) },
      // Batch stops an attempt a minute after the job aborts its own work, so the failure reaches the ledger.
      timeout: { attemptDurationSeconds: timeoutSec + 60 },
    }),
  );
  if (!out.jobId) throw new Error(`Batch accepted no job for ${ref.rig}/${ref.session}`);
  return out.jobId;
}

/** A Batch client for the region. */
export function batchClient(region: string): BatchClient {
  return new BatchClient({ region });
}
