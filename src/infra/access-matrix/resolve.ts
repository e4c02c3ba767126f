/**
 * CloudFormation intrinsics -> concrete values, for evaluating the synthesized template's
 * policies in a simulator. Each resource gets a deterministic physical name derived from its
 * logical id (what CloudFormation would generate is random; only equality matters here), and
 * pseudo parameters take the values of one fixed test environment. Anything this resolver does
 * not know (an attribute, an intrinsic) throws, naming it: a guessed ARN could make a policy
 * look tighter or looser than it is.
 */

/** The environment the template is resolved for. */
export interface ResolveEnv {
  partition: string;
  account: string;
  region: string;
}

type Json = unknown;
interface CfnResource {
  Type: string;
  Properties?: Record<string, Json>;
}
/** A synthesized template, as `Template.toJSON()` gives it. */
export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
}

const urlSuffix = (partition: string) => (partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com');

/** Physical name, Ref value and attributes of one resource. */
function physical(id: string, r: CfnResource, e: ResolveEnv): { ref: string; attrs: Record<string, string> } {
  const arn = (service: string, rest: string, regional = true) =>
    `arn:${e.partition}:${service}:${regional ? e.region : ''}:${regional ? e.account : ''}:${rest}`;
  const p = r.Properties ?? {};
  switch (r.Type) {
    case 'AWS::S3::Bucket': {
      const name = id.toLowerCase();
      return { ref: name, attrs: { Arn: `arn:${e.partition}:s3:::${name}` } };
    }
    case 'AWS::KMS::Key':
      return { ref: id.toLowerCase(), attrs: { Arn: arn('kms', `key/${id.toLowerCase()}`), KeyId: id.toLowerCase() } };
    case 'AWS::IAM::Role':
      return { ref: id, attrs: { Arn: `arn:${e.partition}:iam::${e.account}:role/${id}`, RoleId: `AROA${id.toUpperCase()}` } };
    case 'AWS::IAM::ManagedPolicy':
      return { ref: `arn:${e.partition}:iam::${e.account}:policy/${id}`, attrs: {} };
    case 'AWS::SNS::Topic':
      return { ref: arn('sns', id), attrs: { TopicArn: arn('sns', id), TopicName: id } };
    case 'AWS::SQS::Queue':
      return { ref: `https://sqs.${e.region}.${urlSuffix(e.partition)}/${e.account}/${id}`, attrs: { Arn: arn('sqs', id), QueueName: id } };
    case 'AWS::Lambda::Function':
      return { ref: id, attrs: { Arn: arn('lambda', `function:${id}`) } };
    case 'AWS::DynamoDB::Table':
      return { ref: id, attrs: { Arn: arn('dynamodb', `table/${id}`) } };
    case 'AWS::SecretsManager::Secret':
      return { ref: arn('secretsmanager', `secret:${id}-AbCdEf`), attrs: {} };
    case 'AWS::Logs::LogGroup':
      return { ref: id, attrs: { Arn: arn('logs', `log-group:${id}:*`) } };
    case 'AWS::Athena::WorkGroup':
      return { ref: typeof p.Name === 'string' ? p.Name : id, attrs: {} };
    case 'AWS::Batch::JobQueue':
      return { ref: arn('batch', `job-queue/${id}`), attrs: { JobQueueArn: arn('batch', `job-queue/${id}`) } };
    case 'AWS::Batch::JobDefinition':
      return { ref: arn('batch', `job-definition/${id}:1`), attrs: {} };
    case 'AWS::Batch::ComputeEnvironment':
      return { ref: arn('batch', `compute-environment/${id}`), attrs: { ComputeEnvironmentArn: arn('batch', `compute-environment/${id}`) } };
    case 'AWS::WAFv2::WebACL':
      return { ref: id, attrs: { Arn: arn('wafv2', `regional/webacl/${id}/id`) } };
    case 'AWS::Events::Rule':
      return { ref: id, attrs: { Arn: arn('events', `rule/${id}`) } };
    case 'AWS::EC2::SecurityGroup':
      return { ref: `sg-${id.toLowerCase()}`, attrs: { GroupId: `sg-${id.toLowerCase()}` } };
    default:
      return { ref: id, attrs: {} };
  }
}

/** Returns a function that replaces every intrinsic in a value with its concrete value. */
export function resolver(template: CfnTemplate, env: ResolveEnv): (value: Json) => Json {
  const pseudo: Record<string, string | string[]> = {
    'AWS::Partition': env.partition,
    'AWS::AccountId': env.account,
    'AWS::Region': env.region,
    'AWS::URLSuffix': urlSuffix(env.partition),
    'AWS::StackName': 'Recpipe',
    'AWS::NoValue': '',
  };
  const names = new Map(Object.entries(template.Resources).map(([id, r]) => [id, physical(id, r, env)]));
  const ref = (name: string): string => {
    if (name in pseudo) return pseudo[name] as string;
    const r = names.get(name);
    if (!r) throw new Error(`resolve: Ref to unknown ${name}`);
    return r.ref;
  };
  const getAtt = (id: string, attr: string): string => {
    const v = names.get(id)?.attrs[attr];
    if (v === undefined) throw new Error(`resolve: Fn::GetAtt ${id}.${attr} is not modelled (${template.Resources[id]?.Type ?? 'no such resource'})`);
    return v;
  };
  const sub = (text: string, vars: Record<string, Json>): string =>
    text.replace(/\$\{(!?)([^}]+)\}/g, (_m, bang: string, name: string) => {
      if (bang) return `\${${name}}`;
      if (name in vars) return String(resolve(vars[name]));
      const dot = name.indexOf('.');
      return dot > 0 && !name.startsWith('AWS::') ? getAtt(name.slice(0, dot), name.slice(dot + 1)) : ref(name);
    });
  const resolve = (v: Json): Json => {
    if (Array.isArray(v)) return v.map(resolve);
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, Json>;
    const keys = Object.keys(o);
    if (keys.length === 1) {
      const [k] = keys;
      const arg = o[k];
      if (k === 'Ref') return ref(arg as string);
      if (k === 'Fn::GetAtt') return getAtt(...(arg as [string, string]));
      if (k === 'Fn::Join') {
        const [sep, parts] = arg as [string, Json[]];
        return (resolve(parts) as Json[]).map(String).join(sep);
      }
      if (k === 'Fn::Sub')
        return typeof arg === 'string' ? sub(arg, {}) : sub((arg as [string, Record<string, Json>])[0], (arg as [string, Record<string, Json>])[1]);
      if (k === 'Fn::Select') {
        const [i, list] = arg as [number, Json];
        return (resolve(list) as Json[])[Number(resolve(i))];
      }
      if (k === 'Fn::Split') {
        const [sep, s] = arg as [string, Json];
        return String(resolve(s)).split(sep);
      }
      if (k === 'Fn::GetAZs') return [`${env.region}a`, `${env.region}b`, `${env.region}c`];
      if (k.startsWith('Fn::')) throw new Error(`resolve: ${k} is not modelled`);
    }
    return Object.fromEntries(keys.map((key) => [key, resolve(o[key])]));
  };
  return resolve;
}
