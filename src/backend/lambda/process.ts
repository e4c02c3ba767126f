/**
 * SQS (fed by the raw bucket's notifications on `_manifest.json` and on `decisions/`) -> processing of each
 * announced session. Failed records are returned as batch item failures, so only they are
 * retried; after the queue's maxReceiveCount they land in the dead-letter queue.
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { LEDGER_MARGIN_SEC, PROCESS_LIMITS } from '../../config/platform-limits.js';
import { arrayOf, conforms, obj, opt, str } from '../../core/shape.js';
import { manifestEventSession } from '../../features/process/handle-event.js';
import { processRouted, type RoutedDeps } from '../../features/process/route-session.js';

/** An S3 event notification as SQS delivers it (not a stored record): only the fields read are checked; a test event has no Records. */
const S3_NOTIFICATION = obj({
  Records: opt(arrayOf(obj({ s3: opt(obj({ bucket: opt(obj({ name: opt(str) })), object: opt(obj({ key: opt(str) })) })) }))),
});

/**
 * Processes each announced session on its route: here if it fits the function, else handed to
 * the container path (a Batch job; the message is done once the job is submitted).
 */
export async function handleSqsEvent(event: SQSEvent, d: RoutedDeps): Promise<SQSBatchResponse> {
  const failures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    try {
      const body: unknown = JSON.parse(record.body);
      if (!conforms(S3_NOTIFICATION, body)) throw new Error(`not an S3 event notification: ${S3_NOTIFICATION.check(body, '')}`);
      for (const r of body.Records ?? []) {
        const ref = manifestEventSession({ key: r.s3?.object?.key ?? '' });
        if (!ref || r.s3?.bucket?.name !== d.raw.bucket) continue;
        const outcome = await processRouted(ref, d);
        // failed: let SQS redeliver after the visibility timeout; busy: another worker holds it.
        if (outcome.status === 'failed' || outcome.status === 'busy' || outcome.status === 'lease_lost')
          throw new Error(`${outcome.sessionId}: ${outcome.status} ${outcome.error ?? ''}`);
      }
    } catch (e) {
      d.logger.log('error', 'process.record_failed', { messageId: record.messageId, error: (e as Error).message });
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
}

/**
 * One invocation: the sessions run within the time the invocation has left, less the ledger's
 * margin. The function's entry point is the composition root's (composition/lambda-process.ts),
 * which builds `deps` once per container.
 */
export async function handleSqsInvocation(event: SQSEvent, deps: RoutedDeps, context?: Context): Promise<SQSBatchResponse> {
  const remainingMs = context?.getRemainingTimeInMillis() ?? PROCESS_LIMITS.timeoutSec * 1000;
  return handleSqsEvent(event, { ...deps, limits: { ...PROCESS_LIMITS, timeoutSec: Math.max(1, remainingMs / 1000 - LEDGER_MARGIN_SEC) } });
}
