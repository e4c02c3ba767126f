/**
 * Presigned GET URLs for a path-style endpoint with static credentials (the local stack),
 * computed here rather than by the SDK's presigner: pull then starts without loading the S3
 * client at all (about 0.1 s of a 1 s pull of 600 MB on loopback). Same URL, byte for byte,
 * as `getSignedUrl` for such an endpoint (tested); AWS endpoints and credential chains keep the SDK.
 */
import { canonicalQuery, signCanonical, toAmzDate, uriEncode, uriEncodeKey } from '../../core/sigv4.js';

export interface PathStyleGet {
  /** e.g. http://127.0.0.1:9000 (no path). */
  endpoint: string;
  region: string;
  bucket: string;
  key: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  expiresInSec: number;
  now: Date;
}

export function presignPathStyleGet(o: PathStyleGet): string {
  const base = new URL(o.endpoint);
  if (base.pathname !== '/' && base.pathname !== '') throw new Error(`endpoint ${o.endpoint} has a path; presign with the SDK`);
  const amzDate = toAmzDate(o.now);
  const path = `/${uriEncode(o.bucket)}/${uriEncodeKey(o.key)}`;
  const query: [string, string][] = [
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Content-Sha256', 'UNSIGNED-PAYLOAD'],
    ['X-Amz-Credential', `${o.credentials.accessKeyId}/${amzDate.slice(0, 8)}/${o.region}/s3/aws4_request`],
    ['X-Amz-Date', amzDate],
    ['X-Amz-Expires', String(o.expiresInSec)],
    ...(o.credentials.sessionToken ? ([['X-Amz-Security-Token', o.credentials.sessionToken]] as [string, string][]) : []),
    ['X-Amz-SignedHeaders', 'host'],
    // The SDK names the operation in the query (and signs it); kept so both URLs are identical.
    ['x-id', 'GetObject'],
  ];
  const q = canonicalQuery(query);
  const canonicalRequest = ['GET', path, q, `host:${base.host}\n`, 'host', 'UNSIGNED-PAYLOAD'].join('\n');
  const signature = signCanonical(o.credentials.secretAccessKey, amzDate, o.region, 's3', canonicalRequest).toString('hex');
  return `${base.protocol}//${base.host}${path}?${canonicalQuery([...query, ['X-Amz-Signature', signature]])}`;
}
