/**
 * cdk-nag AwsSolutions findings accepted stack-wide, each with its reason. IAM5 (wildcards) is
 * never accepted here: each wildcard is accepted on its own policy (grants.ts nagAccept).
 */
import type { Stack } from 'aws-cdk-lib';
import { NagSuppressions } from 'cdk-nag';

export function applySuppressions(stack: Stack): void {
  NagSuppressions.addStackSuppressions(stack, [
    {
      id: 'AwsSolutions-IAM4',
      reason: "AWSLambdaBasicExecutionRole only allows writing the function's own logs; and the CDK bucket-notification helper uses it.",
    },
    { id: 'AwsSolutions-APIG1', reason: 'API access logging is left to the function logs (every request is logged there with a request id).' },
    {
      id: 'AwsSolutions-APIG4',
      reason:
        'Authorization is the recpipe token checked by the function on every route but /v1/auth (which takes an API key and is rate-limited per source IP by WAF).',
    },
    { id: 'AwsSolutions-SQS3', reason: 'This queue is the dead-letter queue.' },
    { id: 'AwsSolutions-S1', reason: 'The access-log bucket itself does not log access (it would log into itself).' },
    {
      id: 'AwsSolutions-SMG4',
      reason: 'Rotating the token signing secret would invalidate live 15-minute tokens; rotation is a manual runbook step (docs/operations.md).',
    },
  ]);
}
