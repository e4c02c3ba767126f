/**
 * The API's dependencies on AWS, for the Lambda adapters (src/backend/lambda): keys in DynamoDB,
 * the token secret in Secrets Manager (cached per container), quota counters in DynamoDB, URLs
 * signed for the raw bucket.
 * Build once per container, outside the handler, and pass to createApiRouter.
 */
import type { Clock, Logger, ObjectStore } from '../core/ports.js';
import { DynamoKeyStore } from '../adapters/aws/dynamo-key-store.js';
import { DynamoQuotaStore } from '../adapters/aws/dynamo-quota-store.js';
import { SecretsManagerSecretProvider } from '../adapters/aws/secret-provider.js';
import { systemClock } from '../adapters/memory/clock.js';
import { createS3Client } from '../adapters/s3/client.js';
import { S3Presigner } from '../adapters/s3/presigner.js';
import { DEFAULT_TOKEN_TTL_SEC } from '../backend/auth/tokens.js';
import { DEFAULT_URL_TTL_SEC, type ApiDeps } from '../backend/deps.js';
import type { QuotaLimits } from '../backend/quota/quota-store.js';

export interface AwsApiOptions {
  region: string;
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
  return {
    keys: new DynamoKeyStore(o.keysTable),
    secrets: new SecretsManagerSecretProvider({ secretId: o.tokenSecretId }),
    presigner: new S3Presigner(createS3Client({ region: o.region }), o.rawBucket, clock),
    raw: o.raw,
    logger: o.logger,
    cloudLog: o.cloudLog,
    clock,
    tokenTtlSec: o.tokenTtlSec ?? DEFAULT_TOKEN_TTL_SEC,
    urlTtlSec: o.urlTtlSec ?? DEFAULT_URL_TTL_SEC,
    quota: { store: new DynamoQuotaStore(o.quotaTable), limits: o.quota },
  };
}
