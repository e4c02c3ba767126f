/**
 * Issue 25 item 6: the template works in every partition, cdk-nag findings are accepted only
 * where they apply (a new bucket without access logs or a queue without a dead-letter queue is
 * reported), and no API limit is shared by every rig.
 */
import { App, Aspects } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DEFAULT_INFRA } from '../../src/infra/config.js';
import { applySuppressions } from '../../src/infra/nag-suppressions.js';
import { RecpipeStack } from '../../src/infra/recpipe-stack.js';
import { tempDir } from '../helpers/tmp.js';

const env = { account: '111122223333', region: 'eu-west-1' };
const stackIn = (app: App, id: string) => new RecpipeStack(app, id, DEFAULT_INFRA, { env, bundle: false });

describe('partitions', () => {
  it('writes no ARN with a literal partition: every ARN follows AWS::Partition (GovCloud, China)', () => {
    const json = JSON.stringify(Template.fromStack(stackIn(new App({ outdir: tempDir('rp-cdk-') }), 'Partition')).toJSON());
    expect(json.match(/arn:aws[-a-z]*:[^"]{0,60}/g) ?? []).toEqual([]);
  });
});

describe('cdk-nag acceptances', () => {
  it('accepts nothing stack-wide: a new bucket without access logs and a queue without a dead-letter queue are reported', () => {
    // Prepare: the stack as app.ts builds it, plus two resources that break the rules it accepts elsewhere.
    const app = new App({ outdir: tempDir('rp-cdk-') });
    const stack = stackIn(app, 'Nag');
    new s3.Bucket(stack, 'Unlogged', { enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
    new sqs.Queue(stack, 'NoDlq', { enforceSSL: true });
    applySuppressions(stack);
    Aspects.of(app).add(new AwsSolutionsChecks());
    // Act
    app.synth();
    // Assess: exactly the added resources are reported, for the rules accepted on others.
    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-(S1|SQS3|IAM4|APIG1|APIG4|SMG4)\\b'));
    expect(errors.map((e) => `${e.id.split('/')[2]}: ${/AwsSolutions-[A-Z0-9]+/.exec(JSON.stringify(e.entry.data))?.[0]}`).sort()).toEqual([
      'NoDlq: AwsSolutions-SQS3',
      'Unlogged: AwsSolutions-S1',
    ]);
    expect(JSON.stringify(stack.templateOptions.metadata ?? {})).not.toContain('rules_to_suppress');
  });
});

describe('API limits', () => {
  const t = () => Template.fromStack(stackIn(new App({ outdir: tempDir('rp-cdk-') }), 'Limits'));

  it('sets no stage-wide throttle that every rig would share', () => {
    for (const stage of Object.values(t().findResources('AWS::ApiGateway::Stage'))) {
      for (const m of stage.Properties.MethodSettings ?? []) {
        expect(m.ThrottlingRateLimit).toBeUndefined();
        expect(m.ThrottlingBurstLimit).toBeUndefined();
      }
    }
  });

  it('limits every rate-based WAF rule per caller: per source IP or per bearer token, never one aggregate', () => {
    const rules = Object.values(t().findResources('AWS::WAFv2::WebACL'))[0].Properties.Rules as {
      Name: string;
      Statement: { RateBasedStatement?: { AggregateKeyType: string; Limit: number; CustomKeys?: unknown[] } };
    }[];
    const rated = Object.fromEntries(rules.filter((r) => r.Statement.RateBasedStatement).map((r) => [r.Name, r.Statement.RateBasedStatement!]));
    expect(Object.values(rated).map((r) => r.AggregateKeyType)).not.toContain('CONSTANT');
    expect(rated['requests-per-token']).toMatchObject({ AggregateKeyType: 'CUSTOM_KEYS', CustomKeys: [{ Header: { Name: 'authorization' } }] });
    expect(rated['requests-per-ip']).toMatchObject({ AggregateKeyType: 'IP', Limit: DEFAULT_INFRA.requestsPerIpPer5Min });
    expect(rated['auth-per-ip']).toMatchObject({ AggregateKeyType: 'IP' });
  });
});
