/**
 * The aws profile's API dependencies, for the Lambda (composition/lambda.ts): keys in DynamoDB,
 * the token secret in Secrets Manager (cached per container), quota counters in DynamoDB, URLs
 * signed for the raw bucket. Build once per container, outside the handler.
 */
import type { Logger } from '../core/ports.js';
import { DynamoKeyStore } from '../adapters/aws/dynamo-key-store.js';
import { DynamoQuotaStore } from '../adapters/aws/dynamo-quota-store.js';
import { SecretsManagerSecretProvider } from '../adapters/aws/secret-provider.js';
import type { ApiDeps } from '../backend/deps.js';
import type { QuotaLimits } from '../backend/quota/quota-store.js';
import { assembleApiDeps, signedStoreParts, type SignedStoreOptions } from './api-deps.js';

export interface AwsApiOptions extends SignedStoreOptions {
  keysTable: string;
  /** DynamoDB table of per-rig daily counters. */
  quotaTable: string;
  quota: QuotaLimits;
  /** Secrets Manager id (name or ARN) of the token signing secret. */
  tokenSecretId: string;
  /** Where client events go (the rigs' CloudWatch log group). */
  cloudLog: Logger;
}

export function awsApiDeps(o: AwsApiOptions): ApiDeps {
  return assembleApiDeps({
    ...signedStoreParts(o),
    keys: new DynamoKeyStore(o.keysTable),
    secrets: new SecretsManagerSecretProvider({ secretId: o.tokenSecretId }),
    quota: { store: new DynamoQuotaStore(o.quotaTable), limits: o.quota },
  });
}
