/**
 * The container path for sessions too big for the process function (core/process/route.ts):
 * an AWS Batch job queue on Fargate and a job definition running
 * `recpipe process --session <id> --container-job --timeout-sec <s>` with the same processing
 * code, ledger and grants as the function. The function submits one job per routed session
 * (batch:SubmitJob on this queue and definition only). Fargate needs a network: a VPC of public
 * subnets (no NAT gateway, no idle cost) with an S3 gateway endpoint, a security group with no
 * ingress, and rejected-traffic flow logs into the access-log bucket. Why Batch on Fargate:
 * docs/technology-choices.md ("Sessions too big for the function").
 */
import { fileURLToPath } from 'node:url';
import { Duration, Fn, RemovalPolicy, Size } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CONTAINER_LIMITS } from '../config/platform-limits.js';
import type { InfraConfig } from './config.js';
import { grantProcess } from './grants.js';
import type { Storage } from './storage.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/** The job's command; Batch fills in Ref::session and Ref::timeoutSec from the submitted parameters. */
export const JOB_COMMAND = ['process', '--session', 'Ref::session', '--container-job', '--timeout-sec', 'Ref::timeoutSec'];

/** Exit code of `recpipe process` when another worker holds the session (not worth a retry). */
const EXIT_BUSY = '6';

export class ProcessingJob extends Construct {
  readonly queue: batch.JobQueue;
  readonly definition: batch.EcsJobDefinition;
  readonly role: iam.Role;
  readonly logs: logs.LogGroup;

  constructor(scope: Construct, id: string, cfg: InfraConfig, storage: Storage, options: { bundle?: boolean }) {
    super(scope, id);
    const vpc = new ec2.Vpc(this, 'Vpc', {
      // Two zones without a context lookup, so `npm run synth` stays offline.
      availabilityZones: [Fn.select(0, Fn.getAzs()), Fn.select(1, Fn.getAzs())],
      natGateways: 0,
      subnetConfiguration: [{ name: 'jobs', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 }],
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
      flowLogs: { rejected: { destination: ec2.FlowLogDestination.toS3(storage.accessLogs, 'vpc-flow-logs/'), trafficType: ec2.FlowLogTrafficType.REJECT } },
    });
    const securityGroup = new ec2.SecurityGroup(this, 'Jobs', { vpc, description: 'recpipe processing jobs: no ingress', allowAllOutbound: true });
    const environment = new batch.FargateComputeEnvironment(this, 'Fargate', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroups: [securityGroup],
      maxvCpus: cfg.containerMaxVcpus,
    });
    this.queue = new batch.JobQueue(this, 'Queue', { computeEnvironments: [{ computeEnvironment: environment, order: 1 }] });
    this.role = new iam.Role(this, 'JobRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'recpipe processing container job',
    });
    grantProcess(this.role, { raw: storage.raw, rawKey: storage.rawKey, lake: storage.lake, lakeKey: storage.key });
    this.logs = new logs.LogGroup(this, 'Logs', { retention: cfg.logRetentionDays as logs.RetentionDays, removalPolicy: RemovalPolicy.RETAIN });
    const image =
      options.bundle === false
        ? ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/node:24-slim')
        : ecs.ContainerImage.fromAsset(repo, {
            file: 'deploy/processing-job.Dockerfile',
            platform: Platform.LINUX_AMD64,
            exclude: ['*', '!package.json', '!package-lock.json', '!dist', '!bin', '!deploy'],
          });
    this.definition = new batch.EcsJobDefinition(this, 'Definition', {
      container: new batch.EcsFargateContainerDefinition(this, 'Container', {
        image,
        cpu: CONTAINER_LIMITS.vcpu,
        memory: Size.mebibytes(CONTAINER_LIMITS.memoryMb),
        ephemeralStorageSize: Size.gibibytes(CONTAINER_LIMITS.ephemeralStorageGiB),
        fargateCpuArchitecture: ecs.CpuArchitecture.X86_64,
        assignPublicIp: true,
        jobRole: this.role,
        command: JOB_COMMAND,
        environment: {
          RECPIPE_PROFILE: 'aws',
          RECPIPE_RAW_BUCKET: storage.raw.bucketName,
          RECPIPE_LAKE_BUCKET: storage.lake.bucketName,
          RECPIPE_REGION: Fn.ref('AWS::Region'),
          // The same revision policy as the function: both paths serve the same revision.
          RECPIPE_ACCEPT_REVISIONS: cfg.acceptRevisions,
        },
        logging: ecs.LogDriver.awsLogs({ streamPrefix: 'process', logGroup: this.logs }),
      }),
      // Three attempts, as the ledger allows; a busy session (another job holds it) is not retried.
      retryAttempts: 3,
      retryStrategies: [
        batch.RetryStrategy.of(batch.Action.EXIT, batch.Reason.custom({ onExitCode: EXIT_BUSY })),
        batch.RetryStrategy.of(batch.Action.RETRY, batch.Reason.NON_ZERO_EXIT_CODE),
      ],
      // The default; each submitted job carries the timeout its route chose.
      timeout: Duration.seconds(CONTAINER_LIMITS.minTimeoutSec + CONTAINER_LIMITS.startSec),
    });
  }

  /** Lets the process function submit jobs to this queue and definition, and tells it where. */
  connect(fn: lambda.Function): void {
    this.definition.grantSubmitJob(fn, this.queue);
    fn.addEnvironment('RECPIPE_JOB_QUEUE', this.queue.jobQueueArn);
    fn.addEnvironment('RECPIPE_JOB_DEFINITION', this.definition.jobDefinitionArn);
  }
}
