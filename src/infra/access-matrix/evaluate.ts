/**
 * Evaluates access-matrix rows with @cloud-copilot/iam-simulate, an IAM policy simulator that
 * combines identity, session, resource (bucket, key, topic, queue) and service control
 * policies the way AWS documents policy evaluation, KMS's key-policy trust included. We do not
 * decide here; the simulator does, from the resolved template.
 */
import { getDenialReasons, getGrantReasons, runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { callerOf, rigUrlSession } from './actors.js';
import { CONTROLS } from './controls.js';
import type { Landscape } from './landscape.js';
import type { AccessRow } from './table.js';

/** What the simulator decided for a row, and which statement decided it. */
export interface Verdict {
  row: AccessRow;
  decision: 'allow' | 'deny';
  decidedBy: string;
}

/** The ARN a row's target names (table.ts lists the forms), and a label for its resource policy. */
export function targetOf(on: string, l: Landscape): { arn: string; policyLabel?: string } {
  const { partition, region, account } = l.env;
  const s3 = (bucket: string, key?: string) => `arn:${partition}:s3:::${bucket}${key === undefined ? '' : `/${key}`}`;
  const fixed: Record<string, { arn: string | undefined; policyLabel: string }> = {
    'raw-bucket': { arn: s3(l.rawBucket), policyLabel: 'raw bucket policy' },
    'lake-bucket': { arn: s3(l.lakeBucket), policyLabel: 'lake bucket policy' },
    'raw-key': { arn: l.rawKeyArn, policyLabel: 'raw key policy' },
    'lake-key': { arn: l.lakeKeyArn, policyLabel: 'lake key policy' },
    topic: { arn: l.topicArn, policyLabel: 'alarm topic policy' },
    'topic-key': { arn: l.topicKeyArn, policyLabel: 'alarm topic key policy' },
    'manifest-queue': { arn: l.queueArn, policyLabel: 'manifest queue policy' },
    workgroup: { arn: `arn:${partition}:athena:${region}:${account}:workgroup/${l.workgroup}`, policyLabel: '' },
    'job-queue': { arn: l.jobQueueArn, policyLabel: '' },
    'job-definition': { arn: l.jobDefinitionArn, policyLabel: '' },
    '*': { arn: '*', policyLabel: '' },
  };
  const f = fixed[on];
  if (f) {
    if (!f.arn) throw new Error(`access matrix: the template has no ${on}`);
    return { arn: f.arn, policyLabel: f.policyLabel || undefined };
  }
  const [kind, rest] = [on.slice(0, on.indexOf(':')), on.slice(on.indexOf(':') + 1)];
  if (kind === 'raw') return { arn: s3(l.rawBucket, rest), policyLabel: 'raw bucket policy' };
  if (kind === 'lake') return { arn: s3(l.lakeBucket, rest), policyLabel: 'lake bucket policy' };
  if (kind === 'glue-table') return { arn: `arn:${partition}:glue:${region}:${account}:table/${l.database}/${rest}` };
  throw new Error(`access matrix: unknown target ${JSON.stringify(on)}`);
}

/** A context value: a target name becomes its ARN; {partition}/{region}/{account} are filled in. */
function contextValue(v: string, l: Landscape): string {
  if (/^(raw|lake)-bucket$/.test(v)) return targetOf(v, l).arn;
  return v.replace('{partition}', l.env.partition).replace('{region}', l.env.region).replace('{account}', l.env.account);
}

/** Runs one row through the simulator. Throws when the simulator refuses the request as malformed. */
export async function evaluateRow(row: AccessRow, l: Landscape): Promise<Verdict> {
  const caller = callerOf(row.who, l);
  const target = targetOf(row.on, l);
  const bucketArn = target.arn.startsWith(`arn:${l.env.partition}:s3:::`) ? target.arn.split('/')[0] : target.arn;
  const resourcePolicy = l.resourcePolicies.get(bucketArn);
  // S3 sets s3:ObjectCreationOperation on every object-creating request (PutObject, CompleteMultipartUpload).
  const context: Record<string, string> = { ...caller.context, ...(row.does === 's3:PutObject' ? { 's3:ObjectCreationOperation': 'true' } : {}) };
  for (const [k, v] of Object.entries(row.context ?? {})) context[k] = contextValue(v, l);
  // A key is created (and its policy put) with the template's BypassPolicyLockoutSafetyCheck.
  if (row.does === 'kms:CreateKey' || (row.does === 'kms:PutKeyPolicy' && row.on === 'raw-key'))
    context['kms:BypassPolicyLockoutSafetyCheck'] = String(l.rawKeyBypassesLockoutCheck);
  const simulation: Simulation = {
    request: { principal: caller.principal, action: row.does, resource: { resource: target.arn, accountId: l.env.account }, contextVariables: context },
    identityPolicies: caller.identity.map((p) => ({ name: p.name, policy: p.policy })),
    sessionPolicy: row.who === 'rig-url' ? rigUrlSession('s3:PutObject', targetOf(row.signedFor!, l).arn) : undefined,
    serviceControlPolicies: row.scp
      ? [{ orgIdentifier: 'r-root', policies: CONTROLS[row.scp].map((policy, i) => ({ name: i ? row.scp! : 'FullAWSAccess', policy })) }]
      : [],
    resourceControlPolicies: [],
    resourcePolicy,
  };
  const out = await runSimulation(simulation, {});
  if (out.resultType === 'error') throw new Error(`access matrix: the simulator refused ${row.who} ${row.does} ${row.on}: ${JSON.stringify(out.errors)}`);
  if (out.resultType !== 'single') throw new Error(`access matrix: ${row.who} ${row.does} ${row.on} names a wildcard resource`);
  const analysis = out.result.analysis;
  const decision = out.overallResult === 'Allowed' ? 'allow' : 'deny';
  return { row, decision, decidedBy: describe(decision, analysis, target.policyLabel, row.scp) };
}

type Analysis = NonNullable<Parameters<typeof getGrantReasons>[0]>;
const stmt = (sid: string | undefined, index: number) => (sid ? `"${sid}"` : `statement ${index + 1}`);

/** Which statements decided: the explicit deny, or the allows it needed; "no statement allows it" otherwise. */
function describe(decision: 'allow' | 'deny', a: Analysis, resourceLabel: string | undefined, scp: string | undefined): string {
  const label = (t: string, policy?: string) =>
    t === 'resource'
      ? (resourceLabel ?? 'resource policy')
      : t === 'identity'
        ? `identity policy ${policy ?? ''}`.trim()
        : t === 'scp'
          ? `SCP ${scp ?? ''}`.trim()
          : t;
  if (decision === 'allow') {
    return getGrantReasons(a)
      .filter((g) => g.policyType !== 'scp')
      .map((g) => `${label(g.policyType, 'policyIdentifier' in g ? g.policyIdentifier : undefined)} ${stmt(g.statementId, g.statementIndex)}`)
      .join('; ');
  }
  const denials = getDenialReasons(a);
  const explicit = denials.filter((d) => d.denialType === 'Explicit');
  if (explicit.length)
    return explicit
      .map((d) => (d.denialType === 'Explicit' ? `${label(d.policyType, d.policyIdentifier)} denies: ${stmt(d.statementId, d.statementIndex)}` : ''))
      .join('; ');
  return `no statement allows it (${[...new Set(denials.map((d) => label(d.policyType, d.denialType === 'Implicit' ? d.identifier : undefined)))].join(', ')})`;
}
