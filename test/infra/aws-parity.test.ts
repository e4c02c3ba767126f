/**
 * Template pins for AWS behaviours the stack relies on (docs/aws-parity.md): SQS event source
 * concurrency and redrive, CloudFormation's own access to the raw bucket's configuration, and
 * the HEAD-404 rule behind the DirectUploader policy.
 */
import { rmSync } from 'node:fs';
import { App, Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_INFRA } from '../../src/infra/config.js';
import { RecpipeStack } from '../../src/infra/recpipe-stack.js';
import { CONFIG_ACTIONS, DATA_ACTIONS } from '../../src/infra/storage.js';
import { tempDir } from '../helpers/tmp.js';

/** The break-glass role's ARN as the template writes it (in the stack's partition). */
const BREAK_GLASS = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:role/recpipe-break-glass']] };

let t: Template;
const outdirs: string[] = [];
/** An app synthesizing into a temp dir this file removes afterwards. */
const tempApp = () => new App({ outdir: outdirs[outdirs.push(tempDir('rp-cdk-')) - 1] });
afterAll(() => outdirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
beforeAll(() => {
  const app = tempApp();
  t = Template.fromStack(new RecpipeStack(app, 'Parity', DEFAULT_INFRA, { env: { account: '111122223333', region: 'eu-west-1' }, bundle: false }));
});

type Res = { Properties: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
const all = (type: string) => Object.entries(t.findResources(type)) as [string, Res][];

describe('SQS-triggered processing', () => {
  it('reserves no concurrency on a queue-triggered function and caps the event source instead', () => {
    const mappings = all('AWS::Lambda::EventSourceMapping').map(([, m]) => m.Properties);
    expect(mappings).toHaveLength(1);
    expect(mappings[0].ScalingConfig).toEqual({ MaximumConcurrency: 4 });
    const fnId = mappings[0].FunctionName.Ref;
    expect(t.findResources('AWS::Lambda::Function')[fnId].Properties.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('redrives after at least 5 receives, with visibility >= 6x the function timeout and retention covering every receive', () => {
    const queues = all('AWS::SQS::Queue');
    const [, source] = queues.find(([, q]) => q.Properties.RedrivePolicy)!;
    const [, dlq] = queues.find(([id]) => id === source.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0])!;
    const fn = Object.values(t.findResources('AWS::Lambda::Function')).find((f) => f.Properties.Timeout === DEFAULT_INFRA.processorTimeoutSec)!;
    const { maxReceiveCount } = source.Properties.RedrivePolicy;
    expect(maxReceiveCount).toBeGreaterThanOrEqual(5);
    expect(source.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * fn.Properties.Timeout);
    expect(source.Properties.MessageRetentionPeriod).toBeGreaterThan(maxReceiveCount * source.Properties.VisibilityTimeout);
    expect(dlq.Properties.MessageRetentionPeriod).toBeGreaterThan(source.Properties.MessageRetentionPeriod);
    expect(dlq.Properties.MessageRetentionPeriod).toBe(Duration.days(14).toSeconds());
  });
});

describe('raw bucket policy and CloudFormation', () => {
  const statements = () =>
    Object.values(t.findResources('AWS::S3::BucketPolicy')).flatMap((p) => p.Properties.PolicyDocument.Statement) as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  const cfnExecRole = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::111122223333:role/cdk-hnb659fds-cfn-exec-role-111122223333-eu-west-1' };

  it('lets the CloudFormation execution role change the policy, lifecycle and retention settings (cdk destroy, updates)', () => {
    const config = statements().find((s) => s.Sid === 'DenyProtectionChangesOutsideCloudFormation')!;
    expect([config.Action].flat().sort()).toEqual([...CONFIG_ACTIONS].sort());
    expect(config.Condition.ArnNotLike['aws:PrincipalArn']).toEqual([BREAK_GLASS, cfnExecRole]);
  });

  it('still denies data deletes and retention bypass to everyone but break-glass, CloudFormation included', () => {
    const data = statements().find((s) => s.Sid === 'DenyDataDeletes')!;
    expect([data.Action].flat().sort()).toEqual([...DATA_ACTIONS].sort());
    expect(data.Condition).toEqual({ ArnNotLike: { 'aws:PrincipalArn': BREAK_GLASS } });
  });

  it('takes an explicit deploy role when the stack is not deployed with the CDK bootstrap roles', () => {
    const app = tempApp();
    const own = Template.fromStack(
      new RecpipeStack(
        app,
        'Own',
        { ...DEFAULT_INFRA, deployRoleArn: 'arn:aws:iam::111122223333:role/lab-deployer' },
        { env: { account: '111122223333', region: 'eu-west-1' }, bundle: false },
      ),
    );
    const st = Object.values(own.findResources('AWS::S3::BucketPolicy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .find((s: { Sid?: string }) => s.Sid === 'DenyProtectionChangesOutsideCloudFormation');
    expect(st.Condition.ArnNotLike['aws:PrincipalArn']).toContain('arn:aws:iam::111122223333:role/lab-deployer');
  });
});

describe('catalog tables on Athena', () => {
  const table = (name: string) => Object.values(t.findResources('AWS::Glue::Table')).find((x) => x.Properties.TableInput.Name === name)!.Properties.TableInput;

  it('projects dt from the configured first year to a year past NOW, not from 1970', () => {
    for (const name of ['sessions', 'processed_files']) {
      expect(table(name).Parameters['projection.dt.range']).toBe(`${DEFAULT_INFRA.catalogFirstYear}-01-01,NOW+1YEARS`);
    }
    const app = tempApp();
    const older = Template.fromStack(
      new RecpipeStack(app, 'Older', { ...DEFAULT_INFRA, catalogFirstYear: 2012 }, { env: { account: '111122223333', region: 'eu-west-1' }, bundle: false }),
    );
    const sessions = Object.values(older.findResources('AWS::Glue::Table')).find((x) => x.Properties.TableInput.Name === 'sessions')!;
    expect(sessions.Properties.TableInput.Parameters['projection.dt.range']).toBe('2012-01-01,NOW+1YEARS');
  });

  it('leaves the ledger unpartitioned, so WHERE state IN (...) needs no pipeline filter', () => {
    const ledger = table('ledger');
    expect(ledger.PartitionKeys ?? []).toEqual([]);
    expect(Object.keys(ledger.Parameters).filter((k) => k.startsWith('projection.'))).toEqual([]);
    expect(ledger.StorageDescriptor.Columns.map((c: { Name: string }) => c.Name)).toEqual(expect.arrayContaining(['pipeline', 'pipeline_version', 'state']));
  });
});

describe('DirectUploader', () => {
  it('may list the raw bucket with no s3:prefix condition, so a HEAD of a missing key answers 404, not 403', () => {
    const [, policy] = all('AWS::IAM::ManagedPolicy').find(([, p]) => /upload --direct/.test(p.Properties.Description))!;
    const list = policy.Properties.PolicyDocument.Statement.filter((s: { Action: string | string[] }) => [s.Action].flat().includes('s3:ListBucket'));
    expect(list).toHaveLength(1);
    expect(list[0].Condition).toBeUndefined();
    expect(list[0].Effect).toBe('Allow');
  });
});
