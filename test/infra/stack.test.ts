import type { Stack } from 'aws-cdk-lib';
import { App, Aspects } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DEFAULT_INFRA } from '../../src/infra/config.js';
import { RecpipeStack } from '../../src/infra/recpipe-stack.js';
import { applySuppressions } from '../../src/infra/nag-suppressions.js';
import { PROTECTED_ACTIONS } from '../../src/infra/storage.js';
import { BUNDLING } from '../../src/infra/compute.js';
import { EVENT_NAMES, EVENTS, eventSpec } from '../../src/core/events.js';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/tmp.js';

/** The break-glass role's ARN as the template writes it (in the stack's partition). */
const BREAK_GLASS = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:role/recpipe-break-glass']] };

let stack: Stack;
let t: Template;
let outdir: string;
beforeAll(() => {
  outdir = tempDir('rp-cdk-');
  const app = new App({ outdir });
  stack = new RecpipeStack(
    app,
    'Recpipe',
    { ...DEFAULT_INFRA, alarmEmail: 'ops@example.org' },
    { env: { account: '111122223333', region: 'eu-west-1' }, bundle: false },
  );
  applySuppressions(stack);
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  app.synth();
  t = Template.fromStack(stack);
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const rawBucket = () => {
  const buckets = t.findResources('AWS::S3::Bucket', { Properties: { ObjectLockEnabled: true } });
  expect(Object.keys(buckets)).toHaveLength(1);
  return Object.entries(buckets)[0];
};

describe('the alarms', () => {
  it('filters only on registered event names', () => {
    const filters = Object.values(t.findResources('AWS::Logs::MetricFilter')).map((r) => String(r.Properties.FilterPattern));
    const names = filters.map((f) => /\$\.event\s*=\s*"([^"]+)"/.exec(f)?.[1]);
    expect(names.length).toBeGreaterThanOrEqual(3);
    for (const n of names) expect(EVENT_NAMES).toContain(n);
    expect(names).toContain(EVENTS.processDead.name);
  });

  it('count the events docs/operations.md names, each metric read from a field its event declares', () => {
    // The filters take their names from the registry, so a renamed event moves the alarm with it;
    // this table is what operators were told (docs/operations.md), and a rename breaks it here.
    const filters = Object.values(t.findResources('AWS::Logs::MetricFilter')).map((r) => ({
      event: /\$\.event\s*=\s*"([^"]+)"/.exec(String(r.Properties.FilterPattern))?.[1] ?? '',
      metric: r.Properties.MetricTransformations[0].MetricName as string,
      value: r.Properties.MetricTransformations[0].MetricValue as string,
    }));
    expect(Object.fromEntries(filters.map((f) => [f.metric, f.event]))).toEqual({
      DeadSessions: 'process.dead',
      Commits: 'api.commit',
      RigBytesToday: 'api.quota.charged',
      BusiestRigBytesToday: 'api.quota.charged',
    });
    expect(readFileSync(join(process.cwd(), 'src', 'infra', 'monitoring.ts'), 'utf8')).not.toMatch(/stringValue\('\$\.event',\s*'=',\s*['"`]/);
    const operations = readFileSync(join(process.cwd(), 'docs', 'operations.md'), 'utf8');
    for (const f of filters) {
      expect(operations).toContain(`\`${f.event}\``);
      if (f.value.startsWith('$.')) expect(eventSpec(f.event)?.fields.fieldNames).toContain(f.value.slice(2));
    }
  });
});

describe('the raw bucket', () => {
  it('is versioned, object-locked, KMS-encrypted, private, retained, tiered to an instant class, aborts stale multipart uploads', () => {
    const [, raw] = rawBucket();
    const p = raw.Properties;
    expect(raw.DeletionPolicy).toBe('Retain');
    expect(p.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(p.ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 365 } } });
    expect(p.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms');
    expect(p.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    const rules = p.LifecycleConfiguration.Rules;
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 30 }] }),
        expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }),
      ]),
    );
  });

  it('denies every delete and protection change to all but the break-glass role, TLS-less access, and overwrites', () => {
    const [id] = rawBucket();
    const policies = t.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: id } } });
    const statements = Object.values(policies)[0].Properties.PolicyDocument.Statement;
    const deny = statements.find((s: { Sid?: string }) => s.Sid === 'DenyDataDeletes');
    const config = statements.find((s: { Sid?: string }) => s.Sid === 'DenyProtectionChangesOutsideCloudFormation');
    expect(deny.Effect).toBe('Deny');
    expect(deny.Principal).toEqual({ AWS: '*' });
    expect(config).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' } });
    for (const action of [
      's3:DeleteObject',
      's3:DeleteObjectVersion',
      's3:PutLifecycleConfiguration',
      's3:PutBucketVersioning',
      's3:PutBucketPolicy',
      's3:PutBucketObjectLockConfiguration',
      's3:BypassGovernanceRetention',
    ])
      expect([...deny.Action, ...config.Action]).toContain(action);
    expect([...deny.Action, ...config.Action].sort()).toEqual([...PROTECTED_ACTIONS].sort());
    expect(deny.Condition.ArnNotLike['aws:PrincipalArn']).toEqual(BREAK_GLASS);
    const overwrite = statements.find((s: { Sid?: string }) => s.Sid === 'DenyOverwrites');
    expect(overwrite).toMatchObject({
      Effect: 'Deny',
      Action: 's3:PutObject',
      Condition: { Null: { 's3:if-none-match': 'true' }, Bool: { 's3:ObjectCreationOperation': 'true' } },
    });
    expect(statements).toEqual(expect.arrayContaining([expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]));
  });
});

describe('processing', () => {
  it('notifies a queue with a dead-letter queue on the manifest suffix and on revision decisions only', () => {
    t.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        QueueConfigurations: [
          Match.objectLike({
            Events: ['s3:ObjectCreated:*'],
            Filter: {
              Key: {
                FilterRules: Match.arrayWith([
                  { Name: 'suffix', Value: '/_manifest.json' },
                  { Name: 'prefix', Value: 'raw/' },
                ]),
              },
            },
          }),
          Match.objectLike({
            Filter: { Key: { FilterRules: Match.arrayWith([{ Name: 'prefix', Value: 'decisions/' }]) } },
          }),
        ],
      },
    });
    t.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }), VisibilityTimeout: 5400 });
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 4 },
    });
  });
});

describe('catalog', () => {
  it('projects date partitions (no crawler) over the JSON prefixes', () => {
    t.resourceCountIs('AWS::Glue::Crawler', 0);
    t.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        Name: 'sessions',
        PartitionKeys: [{ Name: 'dt', Type: 'string' }],
        Parameters: Match.objectLike({
          'projection.enabled': 'true',
          'projection.dt.type': 'date',
          'projection.dt.format': 'yyyy-MM-dd',
          'storage.location.template': Match.anyValue(),
        }),
        StorageDescriptor: Match.objectLike({
          SerdeInfo: Match.objectLike({ SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' }),
          Columns: Match.arrayWith([
            { Name: 'num_vars', Type: 'map<string,double>' },
            { Name: 'text_vars', Type: 'map<string,string>' },
            { Name: 'warning_count', Type: 'bigint' },
            { Name: 'warnings', Type: 'array<struct<code:string,file:string,field:string,message:string>>' },
          ]),
        }),
      }),
    });
    t.hasResourceProperties('AWS::Glue::Table', { TableInput: Match.objectLike({ Name: 'processed_files' }) });
  });

  it('has a workgroup that enforces its result location and a bytes-scanned limit', () => {
    t.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: Match.objectLike({
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: 1073741824,
        ResultConfiguration: Match.objectLike({ OutputLocation: Match.anyValue() }),
      }),
    });
  });
});

describe('operations and access', () => {
  it('keeps logs with a retention and raises the alarms to SNS', () => {
    const groups = Object.values(t.findResources('AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThanOrEqual(2);
    for (const g of groups) expect(g.Properties.RetentionInDays).toBe(90);
    const alarms = Object.keys(t.findResources('AWS::CloudWatch::Alarm'));
    for (const name of ['DeadLetters', 'ApiErrors', 'ProcessingErrors', 'DeadSessions', 'NoUploads']) expect(alarms.some((a) => a.includes(name))).toBe(true);
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.org' });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching', Period: 36 * 3600 });
  });

  // Throttling per caller (WAF) is pinned in test/security/template.test.ts.
  it('hashes nothing in plain sight: keys table encrypted with PITR, secret in Secrets Manager', () => {
    t.hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
    t.resourceCountIs('AWS::SecretsManager::Secret', 1);
  });

  it('grants no s3:* and no Resource "*" on S3, and denies raw deletes to people and nodes', () => {
    const docs = [...Object.values(t.findResources('AWS::IAM::Policy')), ...Object.values(t.findResources('AWS::IAM::ManagedPolicy'))].map(
      (p) => p.Properties.PolicyDocument,
    );
    for (const doc of docs) {
      for (const s of doc.Statement) {
        const actions = [s.Action].flat();
        expect(actions).not.toContain('s3:*');
        if (actions.some((a: string) => a.startsWith('s3:'))) expect([s.Resource].flat()).not.toContain('*');
      }
    }
    const managed = Object.values(t.findResources('AWS::IAM::ManagedPolicy'));
    expect(managed).toHaveLength(5);
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Description: Match.stringLikeRegexp('upload --direct'),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['s3:PutObject']),
            Resource: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['/raw/*'])]) }),
          }),
        ]),
      },
    });
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Description: Match.stringLikeRegexp('recpipe verify'),
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['s3:ListBucketMultipartUploads']) })]) },
    });
    for (const m of managed)
      expect(m.Properties.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([expect.objectContaining({ Effect: 'Deny', Action: expect.arrayContaining(['s3:DeleteObject', 's3:DeleteObjectVersion']) })]),
      );
  });

  it('passes cdk-nag AwsSolutions with every suppression justified', () => {
    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    expect(errors.map((e) => `${e.id}: ${JSON.stringify(e.entry.data).slice(0, 120)}`)).toEqual([]);
  });
});

describe('bundles', () => {
  const afterCleanup: string[] = [];
  afterAll(() => afterCleanup.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("builds both Lambda bundles with esbuild from the handler sources, the AWS SDK inside, for the runtime's Node", () => {
    const app = new App({ outdir: tempDir('rp-cdk-') });
    const s = new RecpipeStack(app, 'Bundled', DEFAULT_INFRA, { env: { account: '111122223333', region: 'eu-west-1' } });
    const fns = Template.fromStack(s).findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler', Runtime: 'nodejs24.x' } });
    expect(Object.keys(fns).filter((k) => /ApiFunction|ProcessFunction/.test(k))).toHaveLength(2);
    for (const f of Object.values(fns)) expect(f.Properties.Code.S3Key).toMatch(/\.zip$/);
    expect(BUNDLING).toMatchObject({ target: 'node24', runtime: { name: 'nodejs24.x' } });
    expect(BUNDLING.externalModules.filter((m) => /^@(aws-sdk|smithy)\//.test(m))).toEqual([]);
    const dir = app.synth().directory;
    afterCleanup.push(dir);
    for (const f of Object.values(fns)) {
      const code = readFileSync(join(dir, `asset.${f.Properties.Code.S3Key.replace(/\.zip$/, '')}`, 'index.mjs'), 'utf8');
      // The SDK is in the bundle (its S3 client code), and nothing imports it from the runtime.
      expect(code).not.toMatch(/from\s*["']@(aws-sdk|smithy)\//);
      // Only the SDK's optional signers (CRT, SigV4a), loaded in a try, stay as requires.
      const required = new Set([...code.matchAll(/require\(["'](@(?:aws-sdk|smithy)\/[^"']+)["']\)/g)].map((m) => m[1]));
      expect([...required].filter((m) => !['@aws-sdk/signature-v4-crt', '@aws-sdk/signature-v4a'].includes(m))).toEqual([]);
      expect(code).toContain('x-amz-checksum-');
    }
  }, 120_000);
});
