/** A presigned completion's answer: S3 may put an error inside a 200 (CompleteMultipartUpload). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutTransport } from '../../../src/features/ingest/put-transport.js';

let server: Server;
let answer = { status: 200, body: '' };
let url: string;
const transport = new PutTransport();

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(answer.status, { 'content-type': 'application/xml' });
      res.end(answer.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/raw/k?uploadId=u`;
});
afterAll(async () => {
  transport.close();
  await new Promise((r) => server.close(r));
});

const request = () => ({ url, method: 'POST' as const, headers: { 'if-none-match': '*' }, expiresAt: '', key: 'raw/k', body: '<CompleteMultipartUpload/>' });

describe('PutTransport.complete', () => {
  it('succeeds on a 200 whose body is the result, even after whitespace', async () => {
    answer = { status: 200, body: '<?xml version="1.0"?>\n   \n<CompleteMultipartUploadResult><ETag>"x-2"</ETag></CompleteMultipartUploadResult>' };
    await expect(transport.complete(request())).resolves.toBeUndefined();
  });

  it('fails, retryable, on a 200 that carries an <Error> after the whitespace', async () => {
    answer = { status: 200, body: '<?xml version="1.0"?>\n   \n<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>' };
    await expect(transport.complete(request())).rejects.toMatchObject({ code: 'unavailable', retryable: true });
  });

  it('says not_found on NoSuchUpload, not retryable', async () => {
    answer = { status: 404, body: '<Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message></Error>' };
    await expect(transport.complete(request())).rejects.toMatchObject({ code: 'not_found', retryable: false });
  });
});
