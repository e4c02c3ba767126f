import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../src/adapters/s3/client.js';
import { translateS3Error } from '../../src/adapters/s3/errors.js';
import { rawGet } from '../../src/adapters/http/raw-get.js';
import { PutTransport } from '../../src/features/ingest/put-transport.js';
import { classifyS3, parseS3ErrorBody, type S3OutcomeKind } from '../../src/core/s3-outcome.js';
import type { ErrorCode } from '../../src/core/errors.js';

/**
 * One S3 outcome table (issue 29 item 4), checked through every path recpipe talks to S3 by:
 * the classifier alone, the SDK (GetObject through the S3 adapters' translation), the presigned
 * PUT and POST (CompleteMultipartUpload) of the upload transport, and the raw GET reader of
 * `pull`. A local server answers each case with its status and S3's XML error body (or cuts the
 * connection); every path must come to the same code, retryability and outcome, as rclone's
 * mapping tests check every backend alike.
 */
type Row = [
  what: string,
  status: number | 'reset' | 'refused',
  s3Code: string,
  message: string,
  code: ErrorCode | 'ok',
  retryable: boolean,
  outcome: S3OutcomeKind,
];

const TABLE: Row[] = [
  ['success', 200, '', '', 'ok', false, 'ok'],
  ['missing key', 404, 'NoSuchKey', 'The specified key does not exist.', 'not_found', false, 'not-found'],
  ['missing multipart upload', 404, 'NoSuchUpload', 'The specified upload does not exist.', 'not_found', false, 'no-such-upload'],
  ['precondition', 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 'conflict', false, 'conflict'],
  ['concurrent conditional write', 409, 'ConditionalRequestConflict', 'A conflicting conditional operation is in progress', 'conflict', false, 'conflict'],
  ['access denied', 403, 'AccessDenied', 'Access Denied', 'forbidden', false, 'forbidden'],
  ['bad signature', 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match', 'forbidden', false, 'forbidden'],
  ['expired presigned URL', 403, 'AccessDenied', 'Request has expired', 'token_expired', true, 'expired'],
  ['checksum mismatch', 400, 'BadDigest', 'The CRC32C you specified did not match the calculated checksum.', 'integrity', false, 'integrity'],
  ['malformed checksum', 400, 'InvalidDigest', 'The Content-MD5 or checksum value you specified is not valid.', 'integrity', false, 'integrity'],
  ['payload hash mismatch', 400, 'XAmzContentSHA256Mismatch', 'The provided x-amz-content-sha256 header does not match', 'integrity', false, 'integrity'],
  ['short body', 400, 'IncompleteBody', 'You did not provide the number of bytes specified', 'integrity', false, 'integrity'],
  ['parts not as listed', 400, 'InvalidPart', 'One or more of the specified parts could not be found.', 'integrity', false, 'bad-parts'],
  ['parts out of order', 400, 'InvalidPartOrder', 'The list of parts was not in ascending order.', 'integrity', false, 'bad-parts'],
  ['part too small', 400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', 'failed', false, 'bad-request'],
  ['bad argument', 400, 'InvalidArgument', 'Invalid argument', 'failed', false, 'bad-request'],
  // S3 answers a header it does not implement 501 NotImplemented: the same request fails again.
  ['not implemented', 501, 'NotImplemented', 'A header you provided implies functionality that is not implemented', 'failed', false, 'bad-request'],
  ['idle socket', 400, 'RequestTimeout', 'Your socket connection to the server was not read from or written to', 'unavailable', true, 'server'],
  ['slow down', 503, 'SlowDown', 'Please reduce your request rate.', 'unavailable', true, 'throttled'],
  ['service unavailable', 503, 'ServiceUnavailable', 'Service is unable to handle request.', 'unavailable', true, 'throttled'],
  ['bare 429', 429, '', '', 'unavailable', true, 'throttled'],
  ['throttling code', 400, 'ThrottlingException', 'Rate exceeded', 'unavailable', true, 'throttled'],
  ['internal error', 500, 'InternalError', 'We encountered an internal error. Please try again.', 'unavailable', true, 'server'],
  ['bare 502', 502, '', '', 'unavailable', true, 'server'],
  ['bare 504', 504, '', '', 'unavailable', true, 'server'],
  ['connection reset', 'reset', '', '', 'unavailable', true, 'network'],
  ['connection refused', 'refused', '', '', 'unavailable', true, 'network'],
];

const errorXml = (code: string, message: string) =>
  code ? `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>T1</RequestId></Error>` : '';

let server: Server;
let url: string;
/** A port nothing listens on (a server opened and closed). */
let deadUrl: string;
let sdk: S3Client;
let sdkDead: S3Client;
const transport = new PutTransport();

beforeAll(async () => {
  server = createServer((req, res) => {
    const row = TABLE[Number(/case-(\d+)/.exec(req.url ?? '')?.[1])];
    req.resume();
    req.on('end', () => {
      const [, status, code, message] = row;
      if (status === 'reset' || status === 'refused') return req.socket.destroy();
      const body = status === 200 ? (req.method === 'POST' ? '<CompleteMultipartUploadResult/>' : 'hello') : errorXml(code, message);
      res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body), etag: '"e"' }).end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dead = createServer();
  await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
  deadUrl = `http://127.0.0.1:${(dead.address() as AddressInfo).port}`;
  await new Promise((r) => dead.close(r));
  const credentials = { accessKeyId: 'RPOUTCOME', secretAccessKey: 'outcome-secret' };
  sdk = createS3Client({ region: 'us-east-1', endpoint: url, credentials, maxAttempts: 1 });
  sdkDead = createS3Client({ region: 'us-east-1', endpoint: deadUrl, credentials, maxAttempts: 1 });
});
afterAll(async () => {
  sdk.destroy();
  sdkDead.destroy();
  transport.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

/** What a path came to: 'ok', or the error's code, retryability and outcome. */
type Seen = { code: ErrorCode | 'ok'; retryable: boolean; outcome: S3OutcomeKind };
const seen = (e: unknown): Seen => {
  const err = e as { code: ErrorCode; retryable: boolean; details?: { outcome?: S3OutcomeKind } };
  return { code: err.code, retryable: err.retryable, outcome: err.details?.outcome as S3OutcomeKind };
};
const OK: Seen = { code: 'ok', retryable: false, outcome: 'ok' };
const base = (i: number) => (TABLE[i][1] === 'refused' ? deadUrl : url);

const PATHS: Record<string, (i: number) => Promise<Seen>> = {
  'the SDK (GetObject, translateS3Error)': async (i) => {
    const client = TABLE[i][1] === 'refused' ? sdkDead : sdk;
    try {
      const r = await client.send(new GetObjectCommand({ Bucket: 'outcome', Key: `case-${i}` }));
      await r.Body?.transformToString();
      return OK;
    } catch (e) {
      return seen(translateS3Error(e, `s3://outcome/case-${i}`));
    }
  },
  'the presigned PUT (PutTransport.put)': async (i) => {
    const req = { url: `${base(i)}/raw/case-${i}`, method: 'PUT' as const, headers: {}, key: `raw/case-${i}`, expiresAt: '2030-01-01T00:00:00Z' };
    return transport.put(req, { buffer: Buffer.from('bytes') }).then(() => OK, seen);
  },
  'the presigned POST (PutTransport.complete)': async (i) => {
    const req = {
      url: `${base(i)}/raw/case-${i}?uploadId=u`,
      method: 'POST' as const,
      headers: {},
      key: `raw/case-${i}`,
      body: '<CompleteMultipartUpload/>',
      expiresAt: '2030-01-01T00:00:00Z',
    };
    return transport.complete(req).then(() => OK, seen);
  },
  'the raw GET (rawGet)': async (i) => {
    const sink = { push: () => true };
    return rawGet(new URL(`${base(i)}/lake/case-${i}`), sink, { what: `case-${i}` }).done.then(() => OK, seen);
  },
};

describe('one S3 outcome, whichever path asked', () => {
  const cases = TABLE.map((row, i) => [...row, i] as const);

  it.each(cases)('%s (%s %s): the classifier says %s', (_what, status, code, message, error, retryable, outcome) => {
    const answer =
      typeof status === 'number' ? { status, ...parseS3ErrorBody(errorXml(code, message)) } : { network: status === 'reset' ? 'ECONNRESET' : 'ECONNREFUSED' };
    const c = classifyS3(answer);
    expect({ kind: c.kind, retryable: c.retryable, error: c.kind === 'ok' ? 'ok' : c.error }).toEqual({ kind: outcome, retryable, error });
  });

  for (const [path, run] of Object.entries(PATHS)) {
    it.each(cases)(`%s (%s %s) through ${path}`, async (_what, _status, _code, _message, code, retryable, outcome, i) => {
      // Act
      const got = await run(i);
      // Assess
      expect(got).toEqual({ code, retryable, outcome });
    });
  }
});
