/**
 * The container path exists in the template (issue 25 item 5): a Fargate job queue and a job
 * definition running the same `recpipe process --session` as a job, sized from CONTAINER_LIMITS,
 * retried as the ledger allows; the process function is told where to submit. Who may submit
 * and what the job's role may do are rows of the access matrix (test/infra/access-matrix.test.ts).
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CONTAINER_LIMITS } from '../../src/config/platform-limits.js';
import { DEFAULT_INFRA } from '../../src/infra/config.js';
import { JOB_COMMAND } from '../../src/infra/processing-job.js';
import { RecpipeStack } from '../../src/infra/recpipe-stack.js';
import { tempDir } from '../helpers/tmp.js';

let t: Template;
beforeAll(() => {
  const stack = new RecpipeStack(new App({ outdir: tempDir('rp-cdk-') }), 'Job', DEFAULT_INFRA, {
    env: { account: '111122223333', region: 'eu-west-1' },
    bundle: false,
  });
  t = Template.fromStack(stack);
});
const only = (type: string) => {
  const found = Object.entries(t.findResources(type));
  expect(found).toHaveLength(1);
  return found[0];
};

describe('the container path', () => {
  it('runs `recpipe process --session <id> --container-job --timeout-sec <s>` on Fargate with the container limits', () => {
    const [, def] = only('AWS::Batch::JobDefinition');
    const p = def.Properties;
    expect(p.PlatformCapabilities).toEqual(['FARGATE']);
    expect(p.ContainerProperties.Command).toEqual(JOB_COMMAND);
    expect(JOB_COMMAND.join(' ')).toBe('process --session Ref::session --container-job --timeout-sec Ref::timeoutSec');
    expect(p.ContainerProperties.ResourceRequirements).toEqual(
      expect.arrayContaining([
        { Type: 'VCPU', Value: String(CONTAINER_LIMITS.vcpu) },
        { Type: 'MEMORY', Value: String(CONTAINER_LIMITS.memoryMb) },
      ]),
    );
    expect(p.ContainerProperties.EphemeralStorage).toEqual({ SizeInGiB: CONTAINER_LIMITS.ephemeralStorageGiB });
    const env = Object.fromEntries(p.ContainerProperties.Environment.map((e: { Name: string; Value: unknown }) => [e.Name, e.Value]));
    expect(Object.keys(env).sort()).toEqual(['RECPIPE_ACCEPT_REVISIONS', 'RECPIPE_LAKE_BUCKET', 'RECPIPE_PROFILE', 'RECPIPE_RAW_BUCKET', 'RECPIPE_REGION']);
    expect(env.RECPIPE_PROFILE).toBe('aws');
    // Both compute paths serve the same revision of a session (issue 27's held revisions).
    const policies = Object.values(t.findResources('AWS::Lambda::Function'))
      .map((f) => f.Properties.Environment?.Variables?.RECPIPE_ACCEPT_REVISIONS)
      .filter((v) => v !== undefined);
    expect(policies).toEqual([env.RECPIPE_ACCEPT_REVISIONS]);
  });

  it('retries a failed attempt up to the ledger attempts, never a busy one', () => {
    const [, def] = only('AWS::Batch::JobDefinition');
    expect(def.Properties.RetryStrategy).toEqual({
      Attempts: 3,
      EvaluateOnExit: [
        { Action: 'EXIT', OnExitCode: '6' },
        { Action: 'RETRY', OnExitCode: '*' },
      ],
    });
  });

  it('queues on a Fargate compute environment in public subnets without ingress or a NAT gateway', () => {
    const [envId, env] = only('AWS::Batch::ComputeEnvironment');
    expect(env.Properties.ComputeResources).toMatchObject({ Type: 'FARGATE', MaxvCpus: DEFAULT_INFRA.containerMaxVcpus });
    const [, queue] = only('AWS::Batch::JobQueue');
    expect(queue.Properties.ComputeEnvironmentOrder).toEqual([{ ComputeEnvironment: { 'Fn::GetAtt': [envId, 'ComputeEnvironmentArn'] }, Order: 1 }]);
    t.resourceCountIs('AWS::EC2::NatGateway', 0);
    const [, sg] = only('AWS::EC2::SecurityGroup');
    expect(sg.Properties.SecurityGroupIngress ?? []).toEqual([]);
  });

  it('tells the process function which queue and definition to submit to', () => {
    const [queueId] = only('AWS::Batch::JobQueue');
    const [defId] = only('AWS::Batch::JobDefinition');
    const [, fn] = Object.entries(t.findResources('AWS::Lambda::Function')).find(([id]) => id.includes('ProcessFunction'))!;
    expect(fn.Properties.Environment.Variables).toMatchObject({
      RECPIPE_JOB_QUEUE: { 'Fn::GetAtt': [queueId, 'JobQueueArn'] },
      RECPIPE_JOB_DEFINITION: { Ref: defId },
    });
  });

  it("feeds a dead session in the job's logs into the DeadSessions alarm, as the function's", () => {
    const [, def] = only('AWS::Batch::JobDefinition');
    const jobLogs = def.Properties.ContainerProperties.LogConfiguration.Options['awslogs-group'];
    const dead = Object.values(t.findResources('AWS::Logs::MetricFilter')).filter((f) => String(f.Properties.FilterPattern).includes('process.dead'));
    expect(dead.map((f) => f.Properties.LogGroupName)).toContainEqual(jobLogs);
    for (const f of dead) expect(f.Properties.MetricTransformations[0]).toMatchObject({ MetricNamespace: 'recpipe', MetricName: 'DeadSessions' });
  });
});
