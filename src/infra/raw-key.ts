/**
 * The raw bucket's own KMS key. Object Lock keeps raw objects, but whoever can disable or
 * delete the key can make them unreadable, so the key policy denies every way of doing that
 * (and of changing the policy or handing out grants) to everyone but the break-glass role,
 * account administrators included. The lake and Athena results keep the other key.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { InfraConfig } from './config.js';

/** Key actions that could make raw data unreadable or widen who can use the key. */
export const KEY_PROTECTED_ACTIONS = [
  'kms:ScheduleKeyDeletion',
  'kms:DisableKey',
  'kms:PutKeyPolicy',
  'kms:CreateGrant',
  'kms:RetireGrant',
  'kms:RevokeGrant',
  'kms:DisableKeyRotation',
  'kms:DeleteImportedKeyMaterial',
  'kms:UpdateKeyDescription',
];

/** CloudTrail event names of those actions that are attempts on the key, for the alarm rule. */
export const KEY_ALARM_EVENTS = [
  'ScheduleKeyDeletion',
  'DisableKey',
  'PutKeyPolicy',
  'CreateGrant',
  'RetireGrant',
  'RevokeGrant',
  'DisableKeyRotation',
  'DeleteImportedKeyMaterial',
];

export class RawKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, cfg: InfraConfig) {
    super(scope, id);
    const account = Stack.of(this).account;
    this.key = new kms.Key(this, 'Key', {
      enableKeyRotation: true,
      description: 'recpipe raw recordings (raw bucket only)',
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyKeyDestructionButBreakGlass',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: KEY_PROTECTED_ACTIONS,
        resources: ['*'],
        conditions: { ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${account}:role/${cfg.breakGlassRoleName}` } },
      }),
    );
    // KMS refuses a key policy that would stop its creator (the CloudFormation role) from a later
    // PutKeyPolicy unless this check is bypassed; stopping it is the point: only break-glass may.
    (this.key.node.defaultChild as kms.CfnKey).bypassPolicyLockoutSafetyCheck = true;
  }
}

/**
 * An EventBridge rule on the CloudTrail records of the protected calls, allowed or denied, for
 * the alarm topic. It matches them on every key of the account, not only this key's ARN: a
 * denied call may name the key by alias or id, and such calls are rare enough to read each one.
 * CloudTrail delivers management events to EventBridge only when the account has a trail
 * logging them (docs/deploy.md).
 */
export function keyAttemptsRule(scope: Construct, id: string): events.Rule {
  return new events.Rule(scope, id, {
    description: 'recpipe: a call that could disable, delete or re-share the raw data key',
    eventPattern: {
      source: ['aws.kms'],
      detailType: ['AWS API Call via CloudTrail'],
      detail: { eventSource: ['kms.amazonaws.com'], eventName: KEY_ALARM_EVENTS },
    },
  });
}
