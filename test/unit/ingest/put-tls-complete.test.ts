/**
 * The presigned CompleteMultipartUpload over https against a server that refuses what S3 refuses:
 * an XML body sent chunked or without a Content-Length (411). Over TLS the transport writes
 * bodies in slices (put-transport.ts writeInSlices), which Node sends chunked unless the request
 * says its length (issue 25).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PresignedRequest } from '../../../src/core/api.js';
import { completeMultipartXml } from '../../../src/core/ingest/complete-xml.js';
import { PutTransport, TLS_SLICE } from '../../../src/features/ingest/put-transport.js';

const tls = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'tls');
const cert = readFileSync(join(tls, 'cert.pem'));
const seen: { length?: string; chunked: boolean; bytes: number }[] = [];
const server = createServer({ key: readFileSync(join(tls, 'key.pem')), cert }, (req, res) => {
  let bytes = 0;
  req.on('data', (c: Buffer) => (bytes += c.length));
  req.on('end', () => {
    const chunked = /chunked/i.test(String(req.headers['transfer-encoding'] ?? ''));
    seen.push({ length: req.headers['content-length'], chunked, bytes });
    if (req.method === 'POST' && (chunked || req.headers['content-length'] === undefined)) {
      res
        .writeHead(411, { 'content-type': 'application/xml' })
        .end('<Error><Code>MissingContentLength</Code><Message>You must provide the Content-Length HTTP header.</Message></Error>');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/xml' }).end('<CompleteMultipartUploadResult><ETag>"x-2"</ETag></CompleteMultipartUploadResult>');
  });
});
const transport = new PutTransport({ ca: cert });
let url: string;

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `https://localhost:${(server.address() as AddressInfo).port}/raw/k?uploadId=u`;
});
afterAll(async () => {
  transport.close();
  await new Promise((r) => server.close(r));
});

// A body longer than one TLS slice, so it is written in pieces (16 parts' worth of XML is far smaller; 2,000 parts are not).
const parts = Array.from({ length: 3000 }, (_, i) => ({
  partNumber: i + 1,
  etag: `"${'e'.repeat(32)}"`,
  checksum: { algorithm: 'CRC32C' as const, value: 'AAAAAA==' },
}));

describe('the presigned completion over https', () => {
  it('goes with its Content-Length, never chunked, when the URL was signed ahead and the client wrote the body', async () => {
    const body = completeMultipartXml(parts);
    expect(Buffer.byteLength(body)).toBeGreaterThan(TLS_SLICE);
    const ahead: PresignedRequest = {
      url,
      method: 'POST',
      headers: { 'if-none-match': '*', 'content-type': 'application/xml' },
      expiresAt: '',
      key: 'raw/k',
      body,
    };
    seen.length = 0;
    await expect(transport.complete(ahead)).resolves.toBeUndefined();
    expect(seen).toEqual([{ length: String(Buffer.byteLength(body)), chunked: false, bytes: Buffer.byteLength(body) }]);
  });

  it('keeps the length the API gave with a body it wrote', async () => {
    const body = completeMultipartXml(parts.slice(0, 2));
    const signed: PresignedRequest = {
      url,
      method: 'POST',
      headers: { 'if-none-match': '*', 'content-length': String(Buffer.byteLength(body)) },
      expiresAt: '',
      key: 'raw/k',
      body,
    };
    seen.length = 0;
    await transport.complete(signed);
    expect(seen).toEqual([{ length: String(Buffer.byteLength(body)), chunked: false, bytes: Buffer.byteLength(body) }]);
  });
});
