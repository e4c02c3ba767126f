/**
 * The API (REST API behind WAF -> Lambda, the same router as the local stack) and processing (S3
 * notification on `_manifest.json` -> SQS with a dead-letter queue -> Lambda). Functions are
 * bundled by esbuild from the handler sources; each has its own role and log group.
 */
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as secrets from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { ApiFrontDoor } from './api-gateway.js';
import type { InfraConfig } from './config.js';
import { grantApi, grantProcess } from './grants.js';
import { acceptBasicExecutionRole } from './nag-suppressions.js';
import { ProcessingJob } from './processing-job.js';
import type { Storage } from './storage.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/**
 * esbuild settings of both functions. The AWS SDK (@aws-sdk/*, @smithy/*) is bundled, so the
 * functions run the SDK the tests ran, not whatever version the runtime ships; the target is
 * the runtime's Node major. Only packages the handlers never load stay external.
 */
export const BUNDLING = {
  runtime: lambda.Runtime.NODEJS_24_X,
  target: 'node24',
  externalModules: ['@duckdb/*', 's3rver', 'chokidar', 'ora'],
};

/**
 * The manifest queue and its consumer. Reserved concurrency on an SQS-triggered function makes
 * throttled receives count towards maxReceiveCount (sessions reach the DLQ without running);
 * the event source's maximum concurrency caps the pollers instead. Visibility is 6x the
 * function timeout (AWS's advice for SQS event sources), so 5 receives can take up to 5 x 6 x
 * timeout before a message is dead-lettered: the queue keeps messages longer than that.
 */
export const QUEUE = { maxConcurrency: 4, maxReceiveCount: 5, visibilityFactor: 6, retention: Duration.days(4), deadLetterRetention: Duration.days(14) };
/** A function's entry point: the composition root builds its services and hands each event to src/backend/lambda/. */
const entry = (name: string) => `${repo}src/composition/lambda-${name}.ts`;

export interface ComputeOptions {
  /** Test hook: bundle with esbuild (default) or use a placeholder asset (faster template tests). */
  bundle?: boolean;
}

export class Compute extends Construct {
  readonly api: ApiFrontDoor;
  readonly apiFunction: lambda.Function;
  readonly processFunction: lambda.Function;
  readonly queue: sqs.Queue;
  readonly deadLetters: sqs.Queue;
  readonly keys: dynamodb.Table;
  /** Per-rig daily upload counters (the API's QuotaStore). */
  readonly quota: dynamodb.Table;
  readonly apiLogs: logs.LogGroup;
  /** The container path (processing-job.ts). */
  readonly job: ProcessingJob;
  readonly processLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, cfg: InfraConfig, storage: Storage, options: ComputeOptions = {}) {
    super(scope, id);
    const retention = cfg.logRetentionDays as logs.RetentionDays;
    this.keys = new dynamodb.Table(this, 'Keys', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.quota = new dynamodb.Table(this, 'Quota', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'ttl',
    });
    const tokenSecret = new secrets.Secret(this, 'TokenSecret', {
      description: 'recpipe API token signing secret',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    NagSuppressions.addResourceSuppressions(tokenSecret, [
      {
        id: 'AwsSolutions-SMG4',
        reason: 'Rotating the token signing secret would invalidate live 15-minute tokens; rotation is a manual runbook step (docs/operations.md).',
      },
    ]);
    const fn = (name: string, logGroup: logs.LogGroup, memory: number, timeout: Duration, environment: Record<string, string>) =>
      options.bundle === false
        ? new lambda.Function(this, name, {
            runtime: BUNDLING.runtime,
            handler: 'index.handler',
            code: lambda.Code.fromInline('exports.handler = async () => {};'),
            memorySize: memory,
            timeout,
            environment,
            logGroup,
            architecture: lambda.Architecture.ARM_64,
          })
        : new nodejs.NodejsFunction(this, name, {
            entry: entry(name === 'ApiFunction' ? 'api' : 'process'),
            handler: 'handler',
            runtime: BUNDLING.runtime,
            architecture: lambda.Architecture.ARM_64,
            memorySize: memory,
            timeout,
            environment,
            logGroup,
            projectRoot: repo,
            depsLockFilePath: `${repo}package-lock.json`,
            bundling: {
              format: nodejs.OutputFormat.ESM,
              target: BUNDLING.target,
              minify: true,
              sourceMap: true,
              forceDockerBundling: false,
              mainFields: ['module', 'main'],
              banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
              externalModules: BUNDLING.externalModules,
            },
          });
    this.apiLogs = new logs.LogGroup(this, 'ApiLogs', { retention, removalPolicy: RemovalPolicy.RETAIN });
    this.apiFunction = fn('ApiFunction', this.apiLogs, 256, Duration.seconds(15), {
      RECPIPE_RAW_BUCKET: storage.raw.bucketName,
      RECPIPE_KEYS_TABLE: this.keys.tableName,
      RECPIPE_TOKEN_SECRET_ID: tokenSecret.secretArn,
      RECPIPE_QUOTA_TABLE: this.quota.tableName,
      RECPIPE_QUOTA_BYTES_PER_DAY: String(cfg.rigBytesPerDay),
      RECPIPE_QUOTA_OBJECTS_PER_DAY: String(cfg.rigObjectsPerDay),
      RECPIPE_MAX_FILE_BYTES: String(cfg.maxFileBytes),
    });
    acceptBasicExecutionRole(this.apiFunction);
    grantApi(this.apiFunction, { raw: storage.raw, rawKey: storage.rawKey, keys: this.keys, quota: this.quota, tokenSecret });
    this.api = new ApiFrontDoor(this, 'Api', cfg, this.apiFunction);

    this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
      retentionPeriod: QUEUE.deadLetterRetention,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    NagSuppressions.addResourceSuppressions(this.deadLetters, [{ id: 'AwsSolutions-SQS3', reason: 'This queue is the dead-letter queue.' }]);
    this.queue = new sqs.Queue(this, 'Manifests', {
      visibilityTimeout: Duration.seconds(cfg.processorTimeoutSec * QUEUE.visibilityFactor),
      retentionPeriod: QUEUE.retention,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: QUEUE.maxReceiveCount },
    });
    storage.raw.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SqsDestination(this.queue), { prefix: 'raw/', suffix: '/_manifest.json' });
    // A person's decision on a held revision can change which revision is served: process again.
    storage.raw.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SqsDestination(this.queue), { prefix: 'decisions/', suffix: '.json' });
    this.processLogs = new logs.LogGroup(this, 'ProcessLogs', { retention, removalPolicy: RemovalPolicy.RETAIN });
    this.processFunction = fn('ProcessFunction', this.processLogs, cfg.processorMemoryMb, Duration.seconds(cfg.processorTimeoutSec), {
      RECPIPE_RAW_BUCKET: storage.raw.bucketName,
      RECPIPE_LAKE_BUCKET: storage.lake.bucketName,
      RECPIPE_ACCEPT_REVISIONS: cfg.acceptRevisions,
    });
    (this.processFunction.node.defaultChild as lambda.CfnFunction).ephemeralStorage = { size: cfg.processorEphemeralMb };
    this.processFunction.addEventSource(new SqsEventSource(this.queue, { batchSize: 1, reportBatchItemFailures: true, maxConcurrency: QUEUE.maxConcurrency }));
    acceptBasicExecutionRole(this.processFunction);
    grantProcess(this.processFunction, { raw: storage.raw, rawKey: storage.rawKey, lake: storage.lake, lakeKey: storage.key });
    // Sessions too big for the function are submitted to the container path.
    this.job = new ProcessingJob(this, 'Job', cfg, storage, options);
    this.job.connect(this.processFunction);
  }
}
