/** The CompleteMultipartUpload request body S3 expects, parts in the given (ascending) order. */
import type { CompletePartInput } from '../ports.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function completeMultipartXml(parts: CompletePartInput[]): string {
  const items = parts.map(
    (p) => `<Part><ChecksumCRC32C>${esc(p.checksum.value)}</ChecksumCRC32C><ETag>${esc(p.etag)}</ETag><PartNumber>${p.partNumber}</PartNumber></Part>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${items.join('')}</CompleteMultipartUpload>`;
}
