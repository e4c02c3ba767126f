/**
 * cdk-nag AwsSolutions findings accepted, each on the one resource that needs it, with its
 * reason: nothing is accepted stack-wide, so a future bucket without access logs or a queue
 * without a dead-letter queue is reported. The constructs accept their own findings where they
 * are made (api-gateway.ts, compute.ts, storage.ts, grants.ts); this file covers the one
 * resource the stack does not make itself, CDK's bucket-notification helper function.
 */
import type { Stack } from 'aws-cdk-lib';
import { NagSuppressions } from 'cdk-nag';

/** AWSLambdaBasicExecutionRole, written as cdk-nag reports it. */
export const BASIC_EXECUTION_ROLE = 'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

/** Accepts AWSLambdaBasicExecutionRole on a function's role: it only lets the function write its own logs. */
export function acceptBasicExecutionRole(scope: Parameters<typeof NagSuppressions.addResourceSuppressions>[0]): void {
  NagSuppressions.addResourceSuppressions(
    scope,
    [{ id: 'AwsSolutions-IAM4', reason: "AWSLambdaBasicExecutionRole only allows writing the function's own logs.", appliesTo: [BASIC_EXECUTION_ROLE] }],
    true,
  );
}

/** Accepts what CDK's own bucket-notification helper (a stack-level singleton) needs. */
export function applySuppressions(stack: Stack): void {
  for (const c of stack.node.children.filter((x) => x.node.id.startsWith('BucketNotificationsHandler'))) acceptBasicExecutionRole(c);
}
