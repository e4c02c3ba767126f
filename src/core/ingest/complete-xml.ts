/**
 * The CompleteMultipartUpload request body S3 expects, parts in the given (ascending) order. The
 * client writes it for a completion signed ahead (api-batch.ts); the API for one it signs with
 * its body (POST /v1/multipart/complete). The body is not signed either way: S3 checks each
 * listed part's ETag and CRC32C against the parts it holds.
 */
import type { CompletedPart } from '../api.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function completeMultipartXml(parts: readonly CompletedPart[]): string {
  const items = parts.map(
    (p) => `<Part><ChecksumCRC32C>${esc(p.checksum.value)}</ChecksumCRC32C><ETag>${esc(p.etag)}</ETag><PartNumber>${p.partNumber}</PartNumber></Part>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${items.join('')}</CompleteMultipartUpload>`;
}
