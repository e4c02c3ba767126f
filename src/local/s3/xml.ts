/** S3-style XML bodies the gateway answers with. */
import type { ServerResponse } from 'node:http';
import type { ListedPart } from './rules/completion.js';

export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** S3's XML error document; `extra` adds elements S3 sends with some errors (UploadId, PartNumber...). */
export function sendS3Error(res: ServerResponse, status: number, code: string, message: string, key?: string, extra: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const more = Object.entries(extra)
    .filter(([name]) => name !== 'Key')
    .map(([name, value]) => `<${name}>${esc(value)}</${name}>`)
    .join('');
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${esc(code)}</Code><Message>${esc(message)}</Message>${key ? `<Key>${esc(key)}</Key>` : ''}${more}<RequestId>recpipe-local</RequestId></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body), 'x-amz-request-id': 'recpipe-local' });
  res.end(body);
}

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

const CHECKSUM_TAGS = {
  crc32: 'ChecksumCRC32',
  crc32c: 'ChecksumCRC32C',
  crc64nvme: 'ChecksumCRC64NVME',
  sha1: 'ChecksumSHA1',
  sha256: 'ChecksumSHA256',
} as const;

/**
 * Parts listed in a CompleteMultipartUpload body, in the listed order, with the checksums each
 * names; undefined when the body is not such a document (S3: MalformedXML). An empty body lists
 * no parts.
 */
export function parseCompleteParts(xml: string): ListedPart[] | undefined {
  if (xml.trim() === '') return [];
  if (!/<CompleteMultipartUpload[\s>]/.test(xml)) return undefined;
  const parts: ListedPart[] = [];
  for (const m of xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)) {
    const get = (tag: string) => {
      const v = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(m[1])?.[1];
      return v === undefined ? undefined : unescape(v);
    };
    const number = get('PartNumber');
    if (number === undefined || !/^\d+$/.test(number.trim())) return undefined;
    const checksums: ListedPart['checksums'] = {};
    for (const [name, tag] of Object.entries(CHECKSUM_TAGS)) {
      const v = get(tag);
      if (v !== undefined) checksums[name as keyof typeof CHECKSUM_TAGS] = v;
    }
    parts.push({ partNumber: Number(number), etag: get('ETag') ?? '', checksums });
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
