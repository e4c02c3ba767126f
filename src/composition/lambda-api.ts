/**
 * The API Lambda's entry point (src/infra/compute.ts bundles this file): its services, built once
 * per container on the first request, and each event handed to backend/lambda/api.ts.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { stdoutLogger } from '../adapters/log/stdout-logger.js';
import { createApiRouter, type ApiRouter } from '../backend/http/router.js';
import { handleApiEvent } from '../backend/lambda/api.js';
import { requireEnv, requirePositiveInt } from '../backend/lambda/env.js';
import { awsApiDeps } from './aws-api-deps.js';
import { lambdaConfig } from './lambda-config.js';
import { openStorage } from './storage.js';

/** The API Lambda: the same router the local stack serves, over DynamoDB, Secrets Manager and S3. */
export function apiRouterFromEnv(env: NodeJS.ProcessEnv): ApiRouter {
  const config = lambdaConfig(env, { lake: false });
  const storage = openStorage({ s3: { region: config.region }, rawBucket: config.rawBucket, lakeBucket: config.lakeBucket });
  return createApiRouter(
    awsApiDeps({
      s3: storage.client,
      rawBucket: config.rawBucket,
      keysTable: requireEnv('RECPIPE_KEYS_TABLE', env),
      quotaTable: requireEnv('RECPIPE_QUOTA_TABLE', env),
      quota: {
        bytesPerDay: requirePositiveInt('RECPIPE_QUOTA_BYTES_PER_DAY', env),
        objectsPerDay: requirePositiveInt('RECPIPE_QUOTA_OBJECTS_PER_DAY', env),
        maxFileBytes: requirePositiveInt('RECPIPE_MAX_FILE_BYTES', env),
      },
      tokenSecretId: requireEnv('RECPIPE_TOKEN_SECRET_ID', env),
      raw: storage.raw,
      logger: stdoutLogger({ component: 'api' }),
      cloudLog: stdoutLogger({ component: 'client-events' }),
    }),
  );
}

let router: ApiRouter | undefined;

export async function handler(event: APIGatewayProxyEvent | APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  router ??= apiRouterFromEnv(process.env);
  return handleApiEvent(event, router);
}
