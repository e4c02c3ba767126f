import { createHash } from 'node:crypto';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { uriEncode, verifySigV4, type IncomingSigned } from '../../../src/local/s3/sigv4.js';

const creds = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const signer = new SignatureV4({ credentials: creds, region: 'eu-west-1', service: 's3', sha256: Sha256, uriEscapePath: false });
const signingDate = new Date(Date.UTC(2026, 10, 24, 12, 0, 0));
const now = signingDate.getTime() + 10_000;
const body = Buffer.from('part bytes');
const bodySha = createHash('sha256').update(body).digest();
const key = 'hello? sausage/êé/Hello, 世界/"quote"/\'single\'/+plus/%percent/ space';
// S3 paths are encoded once, segment by segment, slashes kept.
const path = '/recpipe-raw/' + key.split('/').map(uriEncode).join('/');

function request(): HttpRequest {
  return new HttpRequest({
    method: 'PUT',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 9000,
    path,
    query: { partNumber: '2', uploadId: 'up/1+x' },
    headers: {
      host: '127.0.0.1:9000',
      'content-length': String(body.length),
      'x-amz-checksum-sha256': bodySha.toString('base64'),
      'if-none-match': '*',
    },
  });
}

/** The request as the gateway sees it arrive: raw path, decoded query, lower-case headers. */
function incoming(r: HttpRequest): IncomingSigned {
  const query = Object.entries(r.query).map(([k, v]) => [k, String(v)] as [string, string]);
  const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method: r.method, rawPath: r.path, query, headers };
}

async function headerSigned(): Promise<IncomingSigned> {
  const r = request();
  r.headers['x-amz-content-sha256'] = bodySha.toString('hex');
  return incoming((await signer.sign(r, { signingDate })) as HttpRequest);
}

async function presigned(expiresIn = 60): Promise<IncomingSigned> {
  const r = request();
  // As @aws-sdk/s3-request-presigner does: presigned S3 URLs never sign the payload.
  r.headers['X-Amz-Content-Sha256'] = 'UNSIGNED-PAYLOAD';
  const signed = await signer.presign(r, { signingDate, expiresIn, unhoistableHeaders: new Set(['x-amz-checksum-sha256', 'if-none-match']) });
  return incoming(signed as HttpRequest);
}

type Mutation = [string, (r: IncomingSigned) => void];
const mutations: Mutation[] = [
  ['method', (r) => (r.method = 'POST')],
  ['path', (r) => (r.rawPath = r.rawPath.replace('space', 'spade'))],
  ['query value', (r) => (r.query = r.query.map(([k, v]) => [k, k === 'partNumber' ? '3' : v]))],
  ['added query parameter', (r) => r.query.push(['tagging', ''])],
  ['content-length', (r) => (r.headers['content-length'] = String(body.length - 1))],
  ['checksum header', (r) => (r.headers['x-amz-checksum-sha256'] = Buffer.alloc(32).toString('base64'))],
  ['missing if-none-match', (r) => delete r.headers['if-none-match']],
  ['host', (r) => (r.headers.host = '127.0.0.1:9001')],
];

describe('sigv4 verifier', () => {
  it('accepts a header-signed request made by @smithy/signature-v4', async () => {
    // Act
    const result = verifySigV4(await headerSigned(), creds, now);
    // Assert
    expect(result).toMatchObject({ ok: true, presigned: false, payloadHash: bodySha.toString('hex') });
  });

  it('accepts a presigned URL whose checksum and condition are signed headers', async () => {
    // Prepare
    const req = await presigned();
    // Act
    const result = verifySigV4(req, creds, now);
    // Assert
    expect(result).toMatchObject({ ok: true, presigned: true, payloadHash: 'UNSIGNED-PAYLOAD' });
    expect(result.ok && result.signedHeaders).toEqual(expect.arrayContaining(['content-length', 'host', 'if-none-match', 'x-amz-checksum-sha256']));
  });

  it.each(mutations)('rejects a header-signed request with a changed %s', async (_name, mutate) => {
    const req = await headerSigned();
    mutate(req);
    expect(verifySigV4(req, creds, now)).toMatchObject({ ok: false, status: 403, code: 'SignatureDoesNotMatch' });
  });

  it.each(mutations)('rejects a presigned request with a changed %s', async (_name, mutate) => {
    const req = await presigned();
    mutate(req);
    expect(verifySigV4(req, creds, now)).toMatchObject({ ok: false, status: 403, code: 'SignatureDoesNotMatch' });
  });

  it('rejects a wrong secret, an unknown key id and a tampered signature', async () => {
    const req = await presigned();
    expect(verifySigV4(req, { ...creds, secretAccessKey: creds.secretAccessKey + 'x' }, now)).toMatchObject({ code: 'SignatureDoesNotMatch' });
    expect(verifySigV4(req, { ...creds, accessKeyId: 'OTHER' }, now)).toMatchObject({ status: 403, code: 'InvalidAccessKeyId' });
    const tampered = req.query.map(([k, v]) => [k, k === 'X-Amz-Signature' ? (v[0] === 'a' ? 'b' : 'a') + v.slice(1) : v] as [string, string]);
    expect(verifySigV4({ ...req, query: tampered }, creds, now)).toMatchObject({ code: 'SignatureDoesNotMatch' });
  });

  it('refuses an expired presigned URL and a skewed header-signed request', async () => {
    const expired = verifySigV4(await presigned(5), creds, signingDate.getTime() + 6_000);
    expect(expired).toMatchObject({ ok: false, status: 403, code: 'AccessDenied', message: 'Request has expired' });
    const skewed = verifySigV4(await headerSigned(), creds, signingDate.getTime() + 16 * 60_000);
    expect(skewed).toMatchObject({ ok: false, status: 403, code: 'RequestTimeTooSkewed' });
  });

  it('refuses anonymous requests', () => {
    expect(verifySigV4({ method: 'GET', rawPath: '/b/k', query: [], headers: { host: 'h' } }, creds, now)).toMatchObject({
      ok: false,
      status: 403,
      code: 'AccessDenied',
    });
  });
});
