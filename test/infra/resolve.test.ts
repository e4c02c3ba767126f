/** The intrinsic resolver the access matrix evaluates the template with (src/infra/access-matrix/resolve.ts). */
import { resolver, type CfnTemplate } from '../../src/infra/access-matrix/resolve.js';

const template: CfnTemplate = {
  Resources: {
    RawBucket: { Type: 'AWS::S3::Bucket' },
    Key: { Type: 'AWS::KMS::Key' },
    Role: { Type: 'AWS::IAM::Role' },
    Queue: { Type: 'AWS::SQS::Queue' },
  },
};
const env = { partition: 'aws-cn', account: '111122223333', region: 'cn-north-1' };
const resolve = resolver(template, env);

describe('resolving CloudFormation intrinsics for one environment', () => {
  it('gives Ref, Fn::GetAtt, Fn::Join and pseudo parameters concrete values in the given partition', () => {
    expect(resolve({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: 'RawBucket' }, '/raw/*']] })).toBe(
      'arn:aws-cn:s3:::rawbucket/raw/*',
    );
    expect(resolve({ 'Fn::GetAtt': ['Key', 'Arn'] })).toBe('arn:aws-cn:kms:cn-north-1:111122223333:key/key');
    expect(resolve({ 'Fn::GetAtt': ['Role', 'Arn'] })).toBe('arn:aws-cn:iam::111122223333:role/Role');
    expect(resolve({ Ref: 'Queue' })).toBe('https://sqs.cn-north-1.amazonaws.com.cn/111122223333/Queue');
  });

  it('fills Fn::Sub from pseudo parameters, attributes and its own variables, and keeps ${!literal}', () => {
    expect(resolve({ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/x-${AWS::Region}' })).toBe('arn:aws-cn:iam::111122223333:role/x-cn-north-1');
    expect(resolve({ 'Fn::Sub': ['${Q}|${Key.Arn}|${!Literal}', { Q: { 'Fn::GetAtt': ['Queue', 'Arn'] } }] })).toBe(
      'arn:aws-cn:sqs:cn-north-1:111122223333:Queue|arn:aws-cn:kms:cn-north-1:111122223333:key/key|${Literal}',
    );
    expect(resolve({ 'Fn::Select': [1, { 'Fn::Split': [',', 'a,b,c'] }] })).toBe('b');
  });

  it('refuses what it does not model, naming it, rather than guessing an ARN', () => {
    expect(() => resolve({ 'Fn::GetAtt': ['RawBucket', 'WebsiteURL'] })).toThrow(/Fn::GetAtt RawBucket.WebsiteURL is not modelled \(AWS::S3::Bucket\)/);
    expect(() => resolve({ Ref: 'Missing' })).toThrow(/Ref to unknown Missing/);
    expect(() => resolve({ 'Fn::If': ['C', 1, 2] })).toThrow(/Fn::If is not modelled/);
  });
});
