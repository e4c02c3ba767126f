/**
 * Attacks whose target is on AWS, read in the synthesized template: disabling or deleting the
 * raw key, using the API role's credentials for more than uploads, locking every rig out through
 * a shared throttle, writing without limit.
 */
import { App, Aspects, type Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DEFAULT_INFRA } from '../../src/infra/config.js';
import { KEY_DESTROY_ACTIONS, KEY_POLICY_ACTIONS } from '../../src/infra/raw-key.js';
import { RecpipeStack } from '../../src/infra/recpipe-stack.js';
import { applySuppressions } from '../../src/infra/nag-suppressions.js';
import { tempDir } from '../helpers/tmp.js';

/** The break-glass role's ARN as the template writes it (in the stack's partition). */
const BREAK_GLASS = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:role/recpipe-break-glass']] };

let stack: Stack;
let t: Template;
beforeAll(() => {
  const app = new App({ outdir: tempDir('rp-cdk-') });
  stack = new RecpipeStack(app, 'Recpipe', DEFAULT_INFRA, { env: { account: '111122223333', region: 'eu-west-1' }, bundle: false });
  applySuppressions(stack);
  Aspects.of(app).add(new AwsSolutionsChecks());
  app.synth();
  t = Template.fromStack(stack);
});

type Doc = { Statement: { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown; Principal?: unknown }[] };
const keyId = (description: string) => Object.entries(t.findResources('AWS::KMS::Key', { Properties: { Description: description } }))[0];
const rolePolicy = (fnLogicalPrefix: string): Doc => {
  const fn = Object.entries(t.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith(fnLogicalPrefix))!;
  const roleRef = fn[1].Properties.Role['Fn::GetAtt'][0];
  const policies = Object.values(t.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p.Properties.Roles).includes(roleRef));
  return { Statement: policies.flatMap((p) => p.Properties.PolicyDocument.Statement) };
};
const actionsOf = (d: Doc) =>
  d.Statement.filter((s) => s.Effect === 'Allow')
    .flatMap((s) => [s.Action].flat())
    .sort();

describe('attack: make raw data unreadable through its KMS key', () => {
  it('the raw bucket has its own key; the lake and Athena results use another', () => {
    const [rawKeyId] = keyId('recpipe raw recordings (raw bucket only)');
    const buckets = Object.values(t.findResources('AWS::S3::Bucket'));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- template JSON
    const keyOf = (b: Record<string, any>) =>
      JSON.stringify(b.Properties.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault?.KMSMasterKeyID);
    const raw = buckets.find((b) => b.Properties.ObjectLockEnabled)!;
    expect(keyOf(raw)).toContain(rawKeyId);
    const others = buckets.filter(
      (b) => b !== raw && b.Properties.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault?.SSEAlgorithm === 'aws:kms',
    );
    expect(others.length).toBeGreaterThan(0);
    for (const b of others) expect(keyOf(b)).not.toContain(rawKeyId);
    t.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: Match.objectLike({
        ResultConfiguration: Match.objectLike({
          EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: Match.not(Match.objectLike({ 'Fn::GetAtt': [rawKeyId, 'Arn'] })) },
        }),
      }),
    });
  });

  it('its policy denies deletion, disabling and grants to everyone but break-glass, and policy changes to everyone but break-glass and the deploy role', () => {
    // (Who this lets do what, evaluated by an IAM simulator: test/infra/access-matrix.test.ts.)
    const [, key] = keyId('recpipe raw recordings (raw bucket only)');
    const statements = (key.Properties.KeyPolicy as Doc).Statement;
    const destroy = statements.find((s) => s.Sid === 'DenyKeyDestructionButBreakGlass')!;
    expect(destroy).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': BREAK_GLASS } } });
    for (const a of ['kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:CreateGrant']) expect(destroy.Action).toContain(a);
    expect(destroy.Action).toEqual(KEY_DESTROY_ACTIONS);
    const policy = statements.find((s) => s.Sid === 'DenyKeyPolicyChangesOutsideCloudFormation')!;
    expect(policy).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Resource: '*', Action: KEY_POLICY_ACTIONS });
    expect(policy.Condition).toEqual({
      ArnNotLike: {
        'aws:PrincipalArn': [BREAK_GLASS, { 'Fn::Sub': 'arn:${AWS::Partition}:iam::111122223333:role/cdk-hnb659fds-cfn-exec-role-111122223333-eu-west-1' }],
      },
    });
    // Created without bypassing KMS's lockout safety check (Control Tower's CT.KMS.PV.3 refuses the bypass).
    expect(key.Properties.BypassPolicyLockoutSafetyCheck).toBeUndefined();
    expect(key.Properties).toMatchObject({ EnableKeyRotation: true, PendingWindowInDays: 30 });
    expect(key.DeletionPolicy).toBe('Retain');
  });

  it('any such call on the raw key, allowed or denied, reaches the alarm topic through EventBridge; calls on other keys do not', () => {
    const rules = Object.values(t.findResources('AWS::Events::Rule', { Properties: { EventPattern: { source: ['aws.kms'] } } }));
    expect(rules).toHaveLength(1);
    const pattern = rules[0].Properties.EventPattern;
    expect(pattern['detail-type']).toEqual(['AWS API Call via CloudTrail']);
    for (const e of ['ScheduleKeyDeletion', 'DisableKey', 'PutKeyPolicy', 'CreateGrant']) expect(pattern.detail.eventName).toContain(e);
    // Every alternative of the pattern names the raw key, by ARN (CloudTrail's resources) or by
    // the request's keyId, and no other key.
    const [rawKeyId] = keyId('recpipe raw recordings (raw bucket only)');
    expect(pattern.detail.$or).toEqual([
      { resources: { ARN: [{ 'Fn::GetAtt': [rawKeyId, 'Arn'] }] } },
      { requestParameters: { keyId: [{ Ref: rawKeyId }, { 'Fn::GetAtt': [rawKeyId, 'Arn'] }] } },
    ]);
    const [topicId] = Object.keys(t.findResources('AWS::SNS::Topic'));
    expect(rules[0].Properties.Targets).toEqual([expect.objectContaining({ Arn: { Ref: topicId } })]);
  });
});

describe('attack: use the API role (which signs every rig URL) for more than creating raw objects', () => {
  it('holds exactly: put, get and abort uploads under raw/, list objects and uploads, the raw key, one key read, one quota update, the secret', () => {
    expect(actionsOf(rolePolicy('ComputeApiFunction'))).toEqual([
      'dynamodb:GetItem',
      'dynamodb:UpdateItem',
      'kms:Decrypt',
      'kms:GenerateDataKey',
      's3:AbortMultipartUpload',
      's3:GetObject',
      's3:ListBucket',
      's3:ListBucketMultipartUploads',
      's3:PutObject',
      'secretsmanager:GetSecretValue',
    ]);
  });

  it("cannot set retention, legal holds or tags, delete, or touch the lake; aborts uploads under raw/ only (the commit ends its session's)", () => {
    const doc = JSON.stringify(rolePolicy('ComputeApiFunction'));
    for (const a of ['PutObjectRetention', 'PutObjectLegalHold', 'PutObjectTagging', 'DeleteObject', 's3:*', 'kms:*']) expect(doc).not.toContain(a);
    expect(doc).not.toContain('StorageLake');
    const abort = rolePolicy('ComputeApiFunction').Statement.filter((s) => [s.Action].flat().includes('s3:AbortMultipartUpload'));
    expect(abort).toHaveLength(1);
    expect(JSON.stringify(abort[0].Resource)).toMatch(/"\/raw\/\*"\]/);
  });

  it('roles that HEAD keys before they exist may list the bucket without a prefix condition (else S3 answers 403, not 404)', () => {
    const direct = Object.values(t.findResources('AWS::IAM::ManagedPolicy')).find((p) => /upload --direct/.test(p.Properties.Description))!;
    const list = (direct.Properties.PolicyDocument as Doc).Statement.find((s) => [s.Action].flat().includes('s3:ListBucket'))!;
    expect(list.Condition).toBeUndefined();
    expect(rolePolicy('ComputeApiFunction').Statement.find((s) => [s.Action].flat().includes('s3:ListBucket'))!.Condition).toBeUndefined();
  });

  it('cannot accept a held revision for a rig: decisions/ is named only by the curator policy, which writes nothing else', () => {
    // The API role's grants name raw/ only, so its credentials (and every rig URL it signs) cannot
    // create a decision object; S3 denies by default what no statement allows.
    expect(JSON.stringify(rolePolicy('ComputeApiFunction'))).not.toContain('decisions/');
    const curator = Object.values(t.findResources('AWS::IAM::ManagedPolicy')).find((p) => /held revisions/.test(p.Properties.Description))!;
    const puts = (curator.Properties.PolicyDocument as Doc).Statement.filter((s) => s.Effect === 'Allow' && [s.Action].flat().includes('s3:PutObject'));
    expect(puts).toHaveLength(1);
    expect(JSON.stringify(puts[0].Resource)).toMatch(/"\/decisions\/\*"\]/);
    expect(JSON.stringify(puts[0].Resource)).not.toContain('raw/');
  });

  it('processing reads raw and writes only the lake', () => {
    // (The SQS event source adds its own receive/delete actions on the one queue.)
    expect(actionsOf(rolePolicy('ComputeProcessFunction')).filter((a) => !a.startsWith('sqs:'))).toEqual([
      'batch:SubmitJob',
      'kms:Decrypt',
      'kms:Decrypt',
      'kms:GenerateDataKey',
      's3:GetObject',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
    ]);
    const put = rolePolicy('ComputeProcessFunction').Statement.find((s) => [s.Action].flat().includes('s3:PutObject'))!;
    expect(JSON.stringify(put.Resource)).toContain('StorageLake');
    expect(JSON.stringify(put.Resource)).not.toContain('StorageRaw');
    // It may start the container path's jobs on its own queue and definition, nothing else.
    const submit = rolePolicy('ComputeProcessFunction').Statement.find((s) => [s.Action].flat().includes('batch:SubmitJob'))!;
    const [queueId] = Object.keys(t.findResources('AWS::Batch::JobQueue'));
    const [definitionId] = Object.keys(t.findResources('AWS::Batch::JobDefinition'));
    expect([submit.Resource].flat()).toEqual(expect.arrayContaining([{ Ref: definitionId }, { 'Fn::GetAtt': [queueId, 'JobQueueArn'] }]));
    expect([submit.Resource].flat()).toHaveLength(2);
  });

  it('hides no wildcard stack-wide: every IAM5 acceptance is on one resource, with a reason and the exact prefixes', () => {
    const metadata = JSON.stringify(stack.templateOptions.metadata ?? {});
    expect(metadata).not.toContain('AwsSolutions-IAM5');
    const accepted = Object.values(
      t.toJSON().Resources as Record<string, { Metadata?: { cdk_nag?: { rules_to_suppress: { id: string; reason: string; applies_to?: unknown[] }[] } } }>,
    )
      .flatMap((r) => r.Metadata?.cdk_nag?.rules_to_suppress ?? [])
      .filter((s) => s.id === 'AwsSolutions-IAM5');
    expect(accepted.length).toBeGreaterThan(0);
    for (const s of accepted) {
      expect(s.reason.length).toBeGreaterThan(40);
      expect(s.applies_to?.length).toBeGreaterThan(0);
    }
    expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-IAM5.*'))).toEqual([]);
  });
});

describe('attack: lock every rig out, or write without limit', () => {
  const acl = () => Object.values(t.findResources('AWS::WAFv2::WebACL'))[0].Properties;
  const rule = (name: string) => acl().Rules.find((r: { Name: string }) => r.Name === name);

  it('the API is a REST API behind a WAF web ACL', () => {
    t.resourceCountIs('AWS::ApiGatewayV2::Api', 0);
    t.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    t.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp('/stages/')])]) }),
    });
    expect(acl()).toMatchObject({ Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
  });

  it('limits authenticate per source IP, and every other route per bearer token, not per route', () => {
    expect(rule('auth-per-ip')).toMatchObject({
      Action: { Block: {} },
      Statement: {
        RateBasedStatement: {
          AggregateKeyType: 'IP',
          Limit: 100,
          EvaluationWindowSec: 300,
          ScopeDownStatement: { ByteMatchStatement: { SearchString: '/v1/auth', PositionalConstraint: 'ENDS_WITH' } },
        },
      },
    });
    expect(rule('requests-per-token')).toMatchObject({
      Action: { Block: {} },
      Statement: { RateBasedStatement: { AggregateKeyType: 'CUSTOM_KEYS', CustomKeys: [{ Header: { Name: 'authorization' } }], Limit: 6000 } },
    });
    const stages = Object.values(t.findResources('AWS::ApiGateway::Stage'));
    for (const s of stages) expect(JSON.stringify(s.Properties.MethodSettings ?? [])).not.toContain('/v1/auth');
  });

  it('blocks requests without a token-shaped bearer before they reach the function', () => {
    expect(rule('token-required')).toMatchObject({
      Action: { Block: {} },
      Statement: {
        AndStatement: {
          Statements: [
            { NotStatement: { Statement: { ByteMatchStatement: { SearchString: '/v1/auth' } } } },
            {
              NotStatement: {
                Statement: {
                  ByteMatchStatement: {
                    FieldToMatch: { SingleHeader: { Name: 'authorization' } },
                    PositionalConstraint: 'STARTS_WITH',
                    SearchString: 'bearer rpt1.',
                    TextTransformations: [{ Type: 'LOWERCASE', Priority: 0 }],
                  },
                },
              },
            },
          ],
        },
      },
    });
  });

  it("enforces a per-rig quota with a conditional counter table, and alarms on a rig's raw bytes", () => {
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          RECPIPE_QUOTA_BYTES_PER_DAY: String(DEFAULT_INFRA.rigBytesPerDay),
          RECPIPE_QUOTA_OBJECTS_PER_DAY: String(DEFAULT_INFRA.rigObjectsPerDay),
          RECPIPE_MAX_FILE_BYTES: String(DEFAULT_INFRA.maxFileBytes),
          RECPIPE_QUOTA_TABLE: Match.anyValue(),
        }),
      },
    });
    t.hasResourceProperties('AWS::DynamoDB::Table', { TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true } });
    t.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: Match.stringLikeRegexp('api.quota.charged'),
      MetricTransformations: [Match.objectLike({ MetricName: 'RigBytesToday', MetricValue: '$.rigBytesToday', Dimensions: [{ Key: 'rig', Value: '$.rig' }] })],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'BusiestRigBytesToday',
      Statistic: 'Maximum',
      Threshold: DEFAULT_INFRA.rigBytesAlarm,
      AlarmActions: Match.anyValue(),
    });
  });
});
