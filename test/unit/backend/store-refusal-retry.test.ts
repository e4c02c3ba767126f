/**
 * An S3 4xx that is our own bug (e.g. 400 InvalidRequest: a put into the Object Lock bucket
 * without a checksum) reaches the rig as a 500 that says "do not retry", and the client obeys.
 */
import { createServer, type Server } from 'node:http';
import { HttpIngestApi } from '../../../src/adapters/http/ingest-client.js';
import { translateS3Error } from '../../../src/adapters/s3/errors.js';
import { apiFixture } from './fixture.js';

const s3Refusal = () =>
  Object.assign(new Error('Content-MD5 OR x-amz-checksum- HTTP header is required'), { name: 'InvalidRequest', $metadata: { httpStatusCode: 400 } });

describe('a store refusal that retrying cannot fix', () => {
  it('answers 500 with retryable false and a hint, hiding the message', async () => {
    // Prepare
    const f = await apiFixture();
    const token = await f.login(f.keyA.apiKey);
    f.raw.list = async () => {
      throw translateS3Error(s3Refusal(), 's3://raw/raw/rig-a/');
    };
    // Act
    const res = await f.call('GET', '/v1/sessions/20210228_161221', undefined, token);
    // Assess
    expect(res.status).toBe(500);
    expect(res.json.error).toMatchObject({ code: 'internal', retryable: false, hint: expect.stringContaining('retrying will not help') });
    expect(res.body).not.toContain('Content-MD5');
  });

  it('is not retried by the client; a 500 without our error body still is', async () => {
    // Prepare: an API answering first with our non-retryable 500, then a bare 500
    const answers = [{ error: { code: 'internal', message: 'internal error (request id r1)', retryable: false, requestId: 'r1' } }, 'proxy error'];
    const server: Server = createServer((req, res) => {
      req.resume();
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify(answers.shift()));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const client = new HttpIngestApi(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
    try {
      // Act + Assess
      await expect(client.sessionState('t', '20210301_120000')).rejects.toMatchObject({ code: 'internal', retryable: false });
      await expect(client.sessionState('t', '20210301_120000')).rejects.toMatchObject({ code: 'unavailable', retryable: true });
    } finally {
      client.close();
      await new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r())));
    }
  });
});
