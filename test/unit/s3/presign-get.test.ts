import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { presignPathStyleGet } from '../../../src/adapters/s3/presign-get.js';
import { verifySigV4 } from '../../../src/local/s3/sigv4.js';

const credentials = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const now = new Date(Date.UTC(2026, 10, 24, 12, 0, 0));
const keys = [
  'processed/default/1/rig-a/20210301_120000/out_00.npy',
  "processed/default/1/rig a/20210301_120000/(1)!*'~.npy",
  'processed/default/1/rig-ê/20210301_120000/Hello, 世界 +plus %percent.npy',
];

describe('presignPathStyleGet', () => {
  const client = new S3Client({
    region: 'eu-west-1',
    endpoint: 'http://127.0.0.1:9000',
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  afterAll(() => client.destroy());

  it.each(keys)('gives the URL the SDK presigner gives, byte for byte: %s', async (key) => {
    const sdk = await getSignedUrl(client, new GetObjectCommand({ Bucket: 'recpipe-lake', Key: key }), { expiresIn: 3600, signingDate: now });
    const ours = presignPathStyleGet({
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-west-1',
      bucket: 'recpipe-lake',
      key,
      credentials,
      expiresInSec: 3600,
      now,
    });
    expect(ours).toBe(sdk);
  });

  it('is accepted by the gateway verifier, and refused once altered or expired', () => {
    const url = new URL(
      presignPathStyleGet({ endpoint: 'http://localhost:9000', region: 'us-east-1', bucket: 'b', key: keys[2], credentials, expiresInSec: 60, now }),
    );
    const incoming = (u: URL) => ({ method: 'GET', rawPath: u.pathname, query: [...u.searchParams.entries()], headers: { host: u.host } });
    expect(verifySigV4(incoming(url), credentials, now.getTime() + 1000)).toMatchObject({ ok: true, presigned: true });
    expect(verifySigV4(incoming(url), credentials, now.getTime() + 61_000)).toMatchObject({ ok: false, code: 'AccessDenied' });
    const other = new URL(url);
    other.pathname = other.pathname.replace('.npy', '.npz');
    expect(verifySigV4(incoming(other), credentials, now.getTime() + 1000)).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' });
    expect(verifySigV4(incoming(url), { ...credentials, secretAccessKey: 'other' }, now.getTime() + 1000)).toMatchObject({
      ok: false,
      code: 'SignatureDoesNotMatch',
    });
  });

  it('carries a session token when there is one', () => {
    const url = new URL(
      presignPathStyleGet({
        endpoint: 'http://127.0.0.1:9000',
        region: 'us-east-1',
        bucket: 'b',
        key: 'k',
        credentials: { ...credentials, sessionToken: 'tok/en+=' },
        expiresInSec: 60,
        now,
      }),
    );
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe('tok/en+=');
  });
});
