/**
 * Who asks, in the access matrix: each actor's principal, the identity policies it holds and
 * the request context AWS would attach. Roles of the stack take their policies from the
 * template; people and nodes hold the stack's managed policies; administrators, CloudFormation
 * and break-glass hold AdministratorAccess (the CDK bootstrap gives its execution role that);
 * AWS services hold nothing but what resource policies grant them.
 */
import type { Landscape, PolicyDoc } from './landscape.js';

/** The actors the table names. */
export type ActorName =
  | 'cloudformation'
  | 'admin'
  | 'break-glass'
  | 'api-role'
  | 'rig-url'
  | 'process-role'
  | 'process-job'
  | 'researcher'
  | 'ec2-node'
  | 'auditor'
  | 'direct-uploader'
  | 'cloudwatch'
  | 'eventbridge'
  | 's3';

/** One principal ready for the simulator. */
export interface Caller {
  principal: string;
  identity: { name: string; policy: PolicyDoc }[];
  context: Record<string, string>;
}

const ADMIN: PolicyDoc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
/** The CDK bootstrap's CloudFormation execution role (qualifier hnb659fds), as `cdk deploy` uses it. */
export const cfnExecRoleName = (l: Landscape) => `cdk-hnb659fds-cfn-exec-role-${l.env.account}-${l.env.region}`;

/** Labels for the access matrix document. */
export const ACTOR_LABELS: Record<ActorName, string> = {
  cloudformation: "CloudFormation (the CDK bootstrap's execution role, AdministratorAccess)",
  admin: 'an account administrator (AdministratorAccess)',
  'break-glass': 'the break-glass role (AdministratorAccess, MFA)',
  'api-role': "the API function's role",
  'rig-url': 'a presigned URL the API signed for rig-a',
  'process-role': "the processing function's role",
  'process-job': "the processing container job's role",
  researcher: 'a researcher (Researcher managed policy)',
  'ec2-node': 'an EC2 node (Ec2Node managed policy)',
  auditor: 'the auditor (Auditor managed policy)',
  'direct-uploader': 'an operator running `recpipe upload --direct` (DirectUploader managed policy)',
  cloudwatch: 'CloudWatch alarms (cloudwatch.amazonaws.com)',
  eventbridge: 'EventBridge (events.amazonaws.com)',
  s3: 'S3 event notifications (s3.amazonaws.com)',
};

const SERVICES: Partial<Record<ActorName, string>> = { cloudwatch: 'cloudwatch.amazonaws.com', eventbridge: 'events.amazonaws.com', s3: 's3.amazonaws.com' };

/** The caller an actor is, in landscape `l`. */
export function callerOf(actor: ActorName, l: Landscape): Caller {
  const { partition, account } = l.env;
  const service = SERVICES[actor];
  if (service) return { principal: service, identity: [], context: { 'aws:SourceAccount': account, 'aws:SecureTransport': 'true' } };
  const roleArn = (name: string) => `arn:${partition}:iam::${account}:role/${name}`;
  const managed = (output: string) => [{ name: output, policy: l.managed[output] }];
  const roles: Record<string, () => { arn: string; identity: Caller['identity'] }> = {
    cloudformation: () => ({ arn: roleArn(cfnExecRoleName(l)), identity: [{ name: 'AdministratorAccess', policy: ADMIN }] }),
    admin: () => ({ arn: roleArn('lab-admin'), identity: [{ name: 'AdministratorAccess', policy: ADMIN }] }),
    'break-glass': () => ({ arn: roleArn('recpipe-break-glass'), identity: [{ name: 'AdministratorAccess', policy: ADMIN }] }),
    'api-role': () => ({ arn: l.roles.api, identity: l.identity.get(l.roles.api) ?? [] }),
    // A presigned URL carries the API role's authority for the one request it signs (see rigUrlSession).
    'rig-url': () => ({ arn: l.roles.api, identity: l.identity.get(l.roles.api) ?? [] }),
    'process-role': () => ({ arn: l.roles.process, identity: l.identity.get(l.roles.process) ?? [] }),
    'process-job': () => {
      if (!l.roles.job) throw new Error('access matrix: the template has no processing job role');
      return { arn: l.roles.job, identity: l.identity.get(l.roles.job) ?? [] };
    },
    researcher: () => ({ arn: roleArn('researcher'), identity: managed('ResearcherPolicy') }),
    'ec2-node': () => ({ arn: roleArn('ec2-node'), identity: managed('Ec2NodePolicy') }),
    auditor: () => ({ arn: roleArn('auditor'), identity: managed('AuditorPolicy') }),
    'direct-uploader': () => ({ arn: roleArn('direct-uploader'), identity: managed('DirectUploaderPolicy') }),
  };
  const r = roles[actor]();
  const name = r.arn.slice(r.arn.lastIndexOf('/') + 1);
  return {
    principal: `arn:${partition}:sts::${account}:assumed-role/${name}/matrix`,
    identity: r.identity,
    context: { 'aws:PrincipalArn': r.arn, 'aws:PrincipalAccount': account, 'aws:SecureTransport': 'true' },
  };
}

/**
 * A presigned URL as a session policy: SigV4 binds the method, the key and the signed headers,
 * so whoever holds the URL can make that one request with the signer's (the API role's)
 * authority and no other: a changed key fails the signature. Which key the API signs for a rig
 * is the API's rule (keys are built from the token's rig, src/core/layout.ts), tested against
 * the real API in test/security/credentials.test.ts.
 */
export function rigUrlSession(action: string, resourceArn: string): PolicyDoc {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resourceArn }] };
}
