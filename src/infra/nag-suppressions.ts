/** cdk-nag AwsSolutions findings we accept, each with its reason. */
import type { Stack } from 'aws-cdk-lib';
import { NagSuppressions } from 'cdk-nag';

export function applySuppressions(stack: Stack): void {
  NagSuppressions.addStackSuppressions(stack, [
    { id: 'AwsSolutions-IAM4', reason: 'AWSLambdaBasicExecutionRole only allows writing the function\'s own logs; and the CDK bucket-notification helper uses it.' },
    { id: 'AwsSolutions-IAM5', reason: 'Wildcards are object-key patterns under exact bucket ARNs (raw/*, catalog/*, processed/*) and the s3:GetObject* / List* action families of CDK grants; no s3:* and no Resource "*" where an ARN is known.' },
    { id: 'AwsSolutions-APIG1', reason: 'HTTP API access logging is left to the function logs (every request is logged there with a request id).' },
    { id: 'AwsSolutions-APIG4', reason: 'Authorization is the recpipe token checked by the function on every route but /v1/auth (which takes an API key and is throttled).' },
    { id: 'AwsSolutions-SQS3', reason: 'This queue is the dead-letter queue.' },
    { id: 'AwsSolutions-S1', reason: 'The access-log bucket itself does not log access (it would log into itself).' },
    { id: 'AwsSolutions-SMG4', reason: 'Rotating the token signing secret would invalidate live 15-minute tokens; rotation is a manual runbook step (docs/operations.md).' },
  ]);
}
