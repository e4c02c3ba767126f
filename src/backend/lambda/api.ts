/**
 * API Gateway (REST API proxy, payload v1; v2 also accepted) -> the same router the local stack serves.
 * Dependencies are built once per container, on the first request.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createApiRouter, type ApiRouter } from '../http/router.js';
import { awsApiDeps } from '../../composition/aws-api-deps.js';
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

/**
 * Both payload formats: v1 (REST API proxy, what the stack deploys; `path` is the resource path
 * without the stage) and v2 (HTTP API).
 */
export async function handleApiEvent(event: APIGatewayProxyEvent | APIGatewayProxyEventV2, route: ApiRouter): Promise<APIGatewayProxyStructuredResultV2> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
  const raw = event.body ?? undefined;
  const body = raw === undefined ? '' : event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  const { method, path } = 'httpMethod' in event ? { method: event.httpMethod, path: event.path } : { method: event.requestContext.http.method, path: event.rawPath };
  const res = await route({ method, path, headers, body });
  return { statusCode: res.status, headers: res.headers, body: res.body };
}

export async function handler(event: APIGatewayProxyEvent | APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  router ??= build(process.env);
  return handleApiEvent(event, router);
}
