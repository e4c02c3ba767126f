/**
 * The raw bucket's own KMS key. Object Lock keeps raw objects, but whoever can disable or
 * delete the key can make them unreadable, so the key policy denies every way of doing that
 * (and of handing out grants) to everyone but the break-glass role, account administrators and
 * CloudFormation included. Its policy and description may also be changed by the role
 * CloudFormation deploys with: CloudFormation's KMS update handler calls kms:PutKeyPolicy and
 * kms:UpdateKeyDescription on every deploy that changes them, and KMS's lockout safety check
 * requires the creator to keep kms:PutKeyPolicy, so the key is created without bypassing that
 * check (which Control Tower's CT.KMS.PV.3 refuses). The lake and Athena results keep the other key.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { InfraConfig } from './config.js';
import { breakGlassArn, deployRoleArn } from './principals.js';

/** Key actions that could make raw data unreadable or share the key: break-glass only. */
export const KEY_DESTROY_ACTIONS = [
  'kms:ScheduleKeyDeletion',
  'kms:DisableKey',
  'kms:CreateGrant',
  'kms:RetireGrant',
  'kms:RevokeGrant',
  'kms:DisableKeyRotation',
  'kms:DeleteImportedKeyMaterial',
];

/**
 * Key changes CloudFormation's KMS update handler makes (the AWS::KMS::Key resource schema's
 * update permissions that our template can trigger): break-glass and the deploy role only.
 */
export const KEY_POLICY_ACTIONS = ['kms:PutKeyPolicy', 'kms:UpdateKeyDescription'];

/** Every protected key action. */
export const KEY_PROTECTED_ACTIONS = [...KEY_DESTROY_ACTIONS, ...KEY_POLICY_ACTIONS];

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
    this.key = new kms.Key(this, 'Key', {
      enableKeyRotation: true,
      description: 'recpipe raw recordings (raw bucket only)',
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    const breakGlass = breakGlassArn(this, cfg);
    const deny = (sid: string, actions: string[], exempt: string[]) =>
      this.key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid,
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions,
          resources: ['*'],
          conditions: { ArnNotLike: { 'aws:PrincipalArn': exempt.length === 1 ? exempt[0] : exempt } },
        }),
      );
    deny('DenyKeyDestructionButBreakGlass', KEY_DESTROY_ACTIONS, [breakGlass]);
    deny('DenyKeyPolicyChangesOutsideCloudFormation', KEY_POLICY_ACTIONS, [breakGlass, deployRoleArn(this, cfg)]);
  }
}

/**
 * An EventBridge rule on the CloudTrail records of the protected calls on the raw key, allowed
 * or denied, for the alarm topic. Other keys (EBS, RDS, other stacks) create and retire grants
 * all day and must not flood it. CloudTrail names the key in `resources[].ARN` (KMS developer
 * guide, CloudTrail examples such as DisableKey); the request's `keyId` (key id or key ARN: the
 * protected operations take no alias) is matched too, for a record that carries no resources.
 * CloudTrail delivers management events to EventBridge only when the account has a trail
 * logging them (docs/deploy.md).
 */
export function keyAttemptsRule(scope: Construct, id: string, key: kms.IKey): events.Rule {
  return new events.Rule(scope, id, {
    description: 'recpipe: a call that could disable, delete or re-share the raw data key',
    eventPattern: {
      source: ['aws.kms'],
      detailType: ['AWS API Call via CloudTrail'],
      detail: {
        eventSource: ['kms.amazonaws.com'],
        eventName: KEY_ALARM_EVENTS,
        $or: [{ resources: { ARN: [key.keyArn] } }, { requestParameters: { keyId: [key.keyId, key.keyArn] } }],
      },
    },
  });
}
