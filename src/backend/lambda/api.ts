/**
 * API Gateway (REST API proxy, payload v1; v2 also accepted) -> the same router the local stack serves.
 * The function's entry point is the composition root's (composition/lambda-api.ts): it builds the
 * router once per container, on the first request, and hands each event here.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ApiRouter } from '../http/router.js';

/**
 * Both payload formats: v1 (REST API proxy, what the stack deploys; `path` is the resource path
 * without the stage) and v2 (HTTP API).
 */
export async function handleApiEvent(event: APIGatewayProxyEvent | APIGatewayProxyEventV2, route: ApiRouter): Promise<APIGatewayProxyStructuredResultV2> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
  const raw = event.body ?? undefined;
  const body = raw === undefined ? '' : event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  const { method, path } =
    'httpMethod' in event ? { method: event.httpMethod, path: event.path } : { method: event.requestContext.http.method, path: event.rawPath };
  const res = await route({ method, path, headers, body });
  return { statusCode: res.status, headers: res.headers, body: res.body };
}
