/**
 * The aws profile's API dependencies, for the Lambda (composition/lambda.ts): keys in DynamoDB,
 * the token secret in Secrets Manager (cached per container), quota counters in DynamoDB, URLs
 * signed for the raw bucket. Build once per container, outside the handler.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { Clock, Logger, ObjectStore } from '../core/ports.js';
import { DynamoKeyStore } from '../adapters/aws/dynamo-key-store.js';
import { DynamoQuotaStore } from '../adapters/aws/dynamo-quota-store.js';
import { SecretsManagerSecretProvider } from '../adapters/aws/secret-provider.js';
import { systemClock } from '../adapters/memory/clock.js';
import { S3Presigner } from '../adapters/s3/presigner.js';
import type { ApiDeps } from '../backend/deps.js';
import type { QuotaLimits } from '../backend/quota/quota-store.js';
import { assembleApiDeps } from './api-deps.js';

export interface AwsApiOptions {
  /** The container's S3 client (composition/storage.ts); signs the upload URLs. */
  s3: S3Client;
  rawBucket: string;
  keysTable: string;
  /** DynamoDB table of per-rig daily counters. */
  quotaTable: string;
  quota: QuotaLimits;
  /** Secrets Manager id (name or ARN) of the token signing secret. */
  tokenSecretId: string;
  /** The raw bucket as an ObjectStore (S3ObjectStore). */
  raw: ObjectStore;
  logger: Logger;
  /** Where client events go (the rigs' CloudWatch log group). */
  cloudLog: Logger;
  clock?: Clock;
  tokenTtlSec?: number;
  urlTtlSec?: number;
}

export function awsApiDeps(o: AwsApiOptions): ApiDeps {
  const clock = o.clock ?? systemClock;
  return assembleApiDeps({
    keys: new DynamoKeyStore(o.keysTable),
    secrets: new SecretsManagerSecretProvider({ secretId: o.tokenSecretId }),
    presigner: new S3Presigner(o.s3, o.rawBucket, clock),
    raw: o.raw,
    logger: o.logger,
    cloudLog: o.cloudLog,
    clock,
    tokenTtlSec: o.tokenTtlSec,
    urlTtlSec: o.urlTtlSec,
    quota: { store: new DynamoQuotaStore(o.quotaTable), limits: o.quota },
  });
}
