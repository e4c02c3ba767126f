/**
 * What the access matrix needs from a synthesized template, resolved to concrete ARNs: the
 * buckets, keys, topic, queue, roles and managed policies it names, every identity policy of
 * each role, and every resource policy (bucket, key, topic, queue) by the ARN it guards.
 */
import { resolver, type CfnTemplate, type ResolveEnv } from './resolve.js';

/** An IAM policy document. */
export interface PolicyDoc {
  Version?: string;
  Statement: Record<string, unknown>[];
}

/** The stack as the matrix sees it. */
export interface Landscape {
  env: ResolveEnv;
  rawBucket: string;
  lakeBucket: string;
  rawKeyArn: string;
  lakeKeyArn: string;
  topicArn: string;
  topicKeyArn: string;
  queueArn: string;
  workgroup: string;
  database: string;
  /** Role ARNs by purpose; `job` is the container path's job role. */
  roles: { api: string; process: string; job?: string };
  jobQueueArn?: string;
  jobDefinitionArn?: string;
  /** Managed policies for people and nodes, by output name (ResearcherPolicy ...). */
  managed: Record<string, PolicyDoc>;
  /** Identity policies attached to each role ARN (inline and customer managed). */
  identity: Map<string, { name: string; policy: PolicyDoc }[]>;
  /** Resource policies by the ARN of the resource they are attached to. */
  resourcePolicies: Map<string, PolicyDoc>;
  /** The raw key's BypassPolicyLockoutSafetyCheck as the template sets it (false if absent). */
  rawKeyBypassesLockoutCheck: boolean;
}

type Res = { Type: string; Properties?: Record<string, unknown> };
type Tpl = CfnTemplate & { Outputs?: Record<string, { Value: unknown }> };

/** Resolves the template for `env` and collects what the matrix evaluates. */
export function landscapeOf(template: Tpl, env: ResolveEnv): Landscape {
  const resolve = resolver(template, env);
  const entries = Object.entries(template.Resources) as [string, Res][];
  const ofType = (type: string) => entries.filter(([, r]) => r.Type === type);
  const output = (name: string) => {
    const o = template.Outputs?.[name];
    if (!o) throw new Error(`access matrix: the template has no output ${name}`);
    return String(resolve(o.Value));
  };
  const arnOf = (id: string, attr = 'Arn') => String(resolve({ 'Fn::GetAtt': [id, attr] }));
  const refOf = (id: string) => String(resolve({ Ref: id }));
  const one = (type: string, pick: (r: Res, id: string) => boolean, what: string): [string, Res] => {
    const found = ofType(type).filter(([id, r]) => pick(r, id));
    if (found.length !== 1) throw new Error(`access matrix: expected one ${what} (${type}), found ${found.length}`);
    return found[0];
  };
  const keyOfBucket = (r: Res) =>
    String(
      resolve(
        (r.Properties?.BucketEncryption as { ServerSideEncryptionConfiguration: { ServerSideEncryptionByDefault: { KMSMasterKeyID: unknown } }[] })
          .ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID,
      ),
    );
  const rawBucket = output('RawBucket');
  const lakeBucket = output('LakeBucket');
  const [, raw] = one('AWS::S3::Bucket', (_r, id) => refOf(id) === rawBucket, 'raw bucket');
  const [, lake] = one('AWS::S3::Bucket', (_r, id) => refOf(id) === lakeBucket, 'lake bucket');
  const topicArn = output('AlarmTopic');
  const [, topic] = one('AWS::SNS::Topic', (_r, id) => refOf(id) === topicArn, 'alarm topic');
  const [queueId] = one('AWS::SQS::Queue', (r) => r.Properties?.RedrivePolicy !== undefined, 'manifest queue');
  const fnRole = (prefix: string) => String(resolve(one('AWS::Lambda::Function', (_r, id) => id.startsWith(prefix), prefix)[1].Properties?.Role));
  const [jobDefId, jobDef] = ofType('AWS::Batch::JobDefinition')[0] ?? [];
  const [jobQueueId] = ofType('AWS::Batch::JobQueue')[0] ?? [];

  const roleArnByName = new Map(ofType('AWS::IAM::Role').map(([id]) => [refOf(id), arnOf(id)]));
  const managedByArn = new Map(ofType('AWS::IAM::ManagedPolicy').map(([id, r]) => [refOf(id), resolve(r.Properties?.PolicyDocument) as PolicyDoc]));
  const identity = new Map<string, { name: string; policy: PolicyDoc }[]>();
  const attach = (roleName: string, name: string, policy: PolicyDoc) => {
    const arn = roleArnByName.get(roleName);
    if (arn) identity.set(arn, [...(identity.get(arn) ?? []), { name, policy }]);
  };
  for (const [id, r] of ofType('AWS::IAM::Policy'))
    for (const role of resolve(r.Properties?.Roles ?? []) as string[]) attach(role, id, resolve(r.Properties?.PolicyDocument) as PolicyDoc);
  for (const [id, r] of ofType('AWS::IAM::Role')) {
    for (const p of resolve(r.Properties?.Policies ?? []) as { PolicyName: string; PolicyDocument: PolicyDoc }[])
      attach(refOf(id), p.PolicyName, p.PolicyDocument);
    for (const m of resolve(r.Properties?.ManagedPolicyArns ?? []) as string[]) {
      const doc = managedByArn.get(m);
      if (doc) attach(refOf(id), m, doc);
    }
  }

  const resourcePolicies = new Map<string, PolicyDoc>();
  const queueArnByUrl = new Map(ofType('AWS::SQS::Queue').map(([id]) => [refOf(id), arnOf(id)]));
  for (const [, r] of ofType('AWS::S3::BucketPolicy'))
    resourcePolicies.set(`arn:${env.partition}:s3:::${String(resolve(r.Properties?.Bucket))}`, resolve(r.Properties?.PolicyDocument) as PolicyDoc);
  for (const [id, r] of ofType('AWS::KMS::Key')) resourcePolicies.set(arnOf(id), resolve(r.Properties?.KeyPolicy) as PolicyDoc);
  for (const [, r] of ofType('AWS::SNS::TopicPolicy'))
    for (const t of resolve(r.Properties?.Topics) as string[]) resourcePolicies.set(t, resolve(r.Properties?.PolicyDocument) as PolicyDoc);
  for (const [, r] of ofType('AWS::SQS::QueuePolicy'))
    for (const q of resolve(r.Properties?.Queues) as string[])
      resourcePolicies.set(queueArnByUrl.get(q) ?? q, resolve(r.Properties?.PolicyDocument) as PolicyDoc);

  const rawKeyArn = keyOfBucket(raw);
  const [, rawKey] = one('AWS::KMS::Key', (_r, id) => arnOf(id) === rawKeyArn, 'raw key');
  return {
    env,
    rawBucket,
    lakeBucket,
    rawKeyArn,
    lakeKeyArn: keyOfBucket(lake),
    topicArn,
    topicKeyArn: String(resolve(topic.Properties?.KmsMasterKeyId)),
    queueArn: arnOf(queueId),
    workgroup: output('AthenaWorkgroup'),
    database: output('GlueDatabase'),
    roles: {
      api: fnRole('ComputeApiFunction'),
      process: fnRole('ComputeProcessFunction'),
      job: jobDef && String(resolve((jobDef.Properties?.ContainerProperties as { JobRoleArn: unknown }).JobRoleArn)),
    },
    jobQueueArn: jobQueueId && refOf(jobQueueId),
    jobDefinitionArn: jobDefId && refOf(jobDefId),
    managed: Object.fromEntries(
      ['ResearcherPolicy', 'Ec2NodePolicy', 'AuditorPolicy', 'DirectUploaderPolicy'].map((n) => [n, managedByArn.get(output(n)) as PolicyDoc]),
    ),
    identity,
    resourcePolicies,
    rawKeyBypassesLockoutCheck: rawKey.Properties?.BypassPolicyLockoutSafetyCheck === true,
  };
}
