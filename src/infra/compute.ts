/**
 * The API (HTTP API -> Lambda, the same router as the local stack) and processing (S3
 * notification on `_manifest.json` -> SQS with a dead-letter queue -> Lambda). Functions are
 * bundled by esbuild from the handler sources; each has its own role and log group.
 */
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as secrets from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { InfraConfig } from './config.js';
import type { Storage } from './storage.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const entry = (name: string) => `${repo}src/backend/lambda/${name}.ts`;

export interface ComputeOptions {
  /** Test hook: bundle with esbuild (default) or use a placeholder asset (faster template tests). */
  bundle?: boolean;
}

export class Compute extends Construct {
  readonly api: apigw.HttpApi;
  readonly apiFunction: lambda.Function;
  readonly processFunction: lambda.Function;
  readonly queue: sqs.Queue;
  readonly deadLetters: sqs.Queue;
  readonly keys: dynamodb.Table;
  readonly apiLogs: logs.LogGroup;
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
    const tokenSecret = new secrets.Secret(this, 'TokenSecret', { description: 'recpipe API token signing secret', generateSecretString: { passwordLength: 64, excludePunctuation: true } });
    const fn = (name: string, logGroup: logs.LogGroup, memory: number, timeout: Duration, environment: Record<string, string>) =>
      options.bundle === false
        ? new lambda.Function(this, name, { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {};'), memorySize: memory, timeout, environment, logGroup, architecture: lambda.Architecture.ARM_64 })
        : new nodejs.NodejsFunction(this, name, {
            entry: entry(name === 'ApiFunction' ? 'api' : 'process'),
            handler: 'handler',
            runtime: lambda.Runtime.NODEJS_24_X,
            architecture: lambda.Architecture.ARM_64,
            memorySize: memory,
            timeout,
            environment,
            logGroup,
            projectRoot: repo,
            depsLockFilePath: `${repo}package-lock.json`,
            bundling: { format: nodejs.OutputFormat.ESM, target: 'node22', minify: true, sourceMap: true, forceDockerBundling: false, mainFields: ['module', 'main'], banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);", externalModules: ['@aws-sdk/*', '@smithy/*', '@duckdb/*', 's3rver', 'chokidar', 'ora', 'winston'] },
          });
    this.apiLogs = new logs.LogGroup(this, 'ApiLogs', { retention, removalPolicy: RemovalPolicy.RETAIN });
    this.apiFunction = fn('ApiFunction', this.apiLogs, 256, Duration.seconds(15), {
      RECPIPE_RAW_BUCKET: storage.raw.bucketName,
      RECPIPE_KEYS_TABLE: this.keys.tableName,
      RECPIPE_TOKEN_SECRET_ID: tokenSecret.secretArn,
    });
    storage.raw.grantPut(this.apiFunction, 'raw/*');
    storage.raw.grantRead(this.apiFunction, 'raw/*');
    this.keys.grantReadData(this.apiFunction);
    tokenSecret.grantRead(this.apiFunction);
    this.api = new apigw.HttpApi(this, 'Api', { defaultIntegration: new HttpLambdaIntegration('ApiIntegration', this.apiFunction), createDefaultStage: false });
    new apigw.HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
    });
    // authenticate is the only unauthenticated route: throttle it harder.
    const stage = this.node.findChild('Stage').node.defaultChild as apigw.CfnStage;
    // RouteSettings is untyped JSON in CloudFormation: the keys must be spelled as CloudFormation spells them.
    stage.routeSettings = { 'POST /v1/auth': { ThrottlingRateLimit: 2, ThrottlingBurstLimit: 5 } };
    this.api.addRoutes({ path: '/v1/auth', methods: [apigw.HttpMethod.POST], integration: new HttpLambdaIntegration('AuthIntegration', this.apiFunction) });

    this.deadLetters = new sqs.Queue(this, 'DeadLetters', { retentionPeriod: Duration.days(14), encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true });
    this.queue = new sqs.Queue(this, 'Manifests', {
      visibilityTimeout: Duration.seconds(cfg.processorTimeoutSec * 6),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: 3 },
    });
    storage.raw.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SqsDestination(this.queue), { prefix: 'raw/', suffix: '/_manifest.json' });
    this.processLogs = new logs.LogGroup(this, 'ProcessLogs', { retention, removalPolicy: RemovalPolicy.RETAIN });
    this.processFunction = fn('ProcessFunction', this.processLogs, cfg.processorMemoryMb, Duration.seconds(cfg.processorTimeoutSec), {
      RECPIPE_RAW_BUCKET: storage.raw.bucketName,
      RECPIPE_LAKE_BUCKET: storage.lake.bucketName,
    });
    (this.processFunction.node.defaultChild as lambda.CfnFunction).ephemeralStorage = { size: cfg.processorEphemeralMb };
    (this.processFunction.node.defaultChild as lambda.CfnFunction).reservedConcurrentExecutions = 4;
    this.processFunction.addEventSource(new SqsEventSource(this.queue, { batchSize: 1, reportBatchItemFailures: true }));
    storage.raw.grantRead(this.processFunction, 'raw/*');
    for (const prefix of ['catalog/*', 'processed/*']) {
      storage.lake.grantRead(this.processFunction, prefix);
      storage.lake.grantPut(this.processFunction, prefix);
    }
  }
}
