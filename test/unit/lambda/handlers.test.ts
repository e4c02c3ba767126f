import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, SQSEvent } from 'aws-lambda';
import { handleApiEvent } from '../../../src/backend/lambda/api.js';
import { handleSqsEvent } from '../../../src/backend/lambda/process.js';
import { MemoryObjectStore } from '../../../src/adapters/memory/object-store.js';
import { stdoutLogger } from '../../../src/adapters/log/stdout-logger.js';
import type { RoutedDeps } from '../../../src/features/process/route-session.js';
import type { Processor } from '../../../src/features/process/steps/processor.js';

describe('API Lambda adapter', () => {
  it('passes method, path, lower-cased headers and the decoded body to the router and maps the answer', async () => {
    const seen: unknown[] = [];
    const event = {
      rawPath: '/v1/auth',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer x' },
      isBase64Encoded: true,
      body: Buffer.from('{"apiKey":"k"}').toString('base64'),
      requestContext: { http: { method: 'POST' } },
    } as unknown as APIGatewayProxyEventV2;
    const res = await handleApiEvent(event, async (req) => {
      seen.push(req);
      return { status: 401, headers: { 'content-type': 'application/json' }, body: '{"error":{}}' };
    });
    expect(seen).toEqual([
      { method: 'POST', path: '/v1/auth', headers: { 'content-type': 'application/json', authorization: 'Bearer x' }, body: '{"apiKey":"k"}' },
    ]);
    expect(res).toEqual({ statusCode: 401, headers: { 'content-type': 'application/json' }, body: '{"error":{}}' });
  });
});

describe('API Lambda adapter (REST API proxy, payload v1)', () => {
  it('routes on the resource path without the stage, and a null body is empty', async () => {
    const seen: unknown[] = [];
    const event = {
      httpMethod: 'GET',
      path: '/v1/sessions/20210228_161221',
      headers: { Authorization: 'Bearer t' },
      body: null,
      isBase64Encoded: false,
      requestContext: { stage: 'api', path: '/api/v1/sessions/20210228_161221' },
    } as unknown as APIGatewayProxyEvent;
    await handleApiEvent(event, async (req) => {
      seen.push(req);
      return { status: 200, headers: {}, body: '{}' };
    });
    expect(seen).toEqual([{ method: 'GET', path: '/v1/sessions/20210228_161221', headers: { authorization: 'Bearer t' }, body: '' }]);
  });
});

describe('processing Lambda adapter', () => {
  const lines: string[] = [];
  const deps = (processor?: Processor): RoutedDeps => ({
    raw: new MemoryObjectStore('raw-bucket'),
    lake: new MemoryObjectStore('lake-bucket'),
    pipeline: 'default',
    pipelineVersion: '1',
    processor: processor ?? { kind: 'staging', name: 'x', version: '1', params: {}, run: async () => undefined },
    logger: stdoutLogger({}, 'debug', (l) => lines.push(l)),
    container: () => Promise.reject(new Error('no session here is routed to the container path')),
  });
  const sqs = (key: string, bucket = 'raw-bucket'): SQSEvent =>
    ({ Records: [{ messageId: 'm1', body: JSON.stringify({ Records: [{ s3: { bucket: { name: bucket }, object: { key } } }] }) }] }) as unknown as SQSEvent;

  it('ignores keys that are not manifests and the S3 test event', async () => {
    const d = deps();
    expect(await handleSqsEvent(sqs('raw/rig-a/20210301_100000/my+file.bin'), d)).toEqual({ batchItemFailures: [] });
    expect(await handleSqsEvent({ Records: [{ messageId: 'm2', body: JSON.stringify({ Event: 's3:TestEvent' }) }] } as unknown as SQSEvent, d)).toEqual({
      batchItemFailures: [],
    });
  });

  it('decodes the URL-encoded manifest key and reports a failed session as a batch item failure', async () => {
    const d = deps();
    const r = await handleSqsEvent(sqs('raw/rig-a/20210301%5F100000/_manifest.json'), d);
    // No manifest in the (empty) store: the attempt fails and SQS must redeliver this record.
    expect(r).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(JSON.parse((await d.lake.get('catalog/ledger/default/1/rig-a__20210301_100000.json')).toString())).toMatchObject({ state: 'failed', attempts: 1 });
  });
});
