/** S3-style XML bodies the gateway answers with. */
import type { ServerResponse } from 'node:http';

export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function sendS3Error(res: ServerResponse, status: number, code: string, message: string, key?: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${esc(code)}</Code><Message>${esc(message)}</Message>${key ? `<Key>${esc(key)}</Key>` : ''}<RequestId>recpipe-local</RequestId></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body), 'x-amz-request-id': 'recpipe-local' });
  res.end(body);
}

/** Parts listed in a CompleteMultipartUpload body. */
export function parseCompleteParts(xml: string): { partNumber: number; etag: string; crc32c?: string; sha256?: string }[] {
  const parts: { partNumber: number; etag: string; crc32c?: string; sha256?: string }[] = [];
  for (const m of xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)) {
    const get = (tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(m[1])?.[1];
    parts.push({
      partNumber: Number(get('PartNumber')),
      etag: (get('ETag') ?? '').replace(/&quot;/g, '"'),
      crc32c: get('ChecksumCRC32C'),
      sha256: get('ChecksumSHA256'),
    });
  }
  return parts;
}

/** S3 event notifications URL-encode keys, spaces as '+', slashes kept. */
export function encodeEventKey(key: string): string {
  return key
    .split('/')
    .map((s) => encodeURIComponent(s).replace(/%20/g, '+'))
    .join('/');
}
