/**
 * API Gateway (HTTP API, payload v2) -> the same router the local stack serves.
 * Dependencies are built once per container, on the first request.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createApiRouter, type ApiRouter } from '../http/router.js';
import { awsApiDeps } from '../aws-deps.js';
import { createS3Client } from '../../adapters/s3/client.js';
import { S3ObjectStore } from '../../adapters/s3/object-store.js';
import { stdoutLogger } from '../../adapters/log/stdout-logger.js';
import { requireEnv, requirePositiveInt } from './env.js';

let router: ApiRouter | undefined;

function build(env: NodeJS.ProcessEnv): ApiRouter {
  const region = requireEnv('AWS_REGION', env);
  const rawBucket = requireEnv('RECPIPE_RAW_BUCKET', env);
  const logger = stdoutLogger({ component: 'api' });
  return createApiRouter(
    awsApiDeps({
      region,
      rawBucket,
      keysTable: requireEnv('RECPIPE_KEYS_TABLE', env),
      quotaTable: requireEnv('RECPIPE_QUOTA_TABLE', env),
      quota: {
        bytesPerDay: requirePositiveInt('RECPIPE_QUOTA_BYTES_PER_DAY', env),
        objectsPerDay: requirePositiveInt('RECPIPE_QUOTA_OBJECTS_PER_DAY', env),
        maxFileBytes: requirePositiveInt('RECPIPE_MAX_FILE_BYTES', env),
      },
      tokenSecretId: requireEnv('RECPIPE_TOKEN_SECRET_ID', env),
      raw: new S3ObjectStore(createS3Client({ region }), rawBucket),
      logger,
      cloudLog: stdoutLogger({ component: 'client-events' }),
    }),
  );
}

export async function handleApiEvent(event: APIGatewayProxyEventV2, route: ApiRouter): Promise<APIGatewayProxyStructuredResultV2> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
  const body = event.body === undefined ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  const res = await route({ method: event.requestContext.http.method, path: event.rawPath, headers, body });
  return { statusCode: res.status, headers: res.headers, body: res.body };
}

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  router ??= build(process.env);
  return handleApiEvent(event, router);
}
