/**
 * ListMultipartUploads for the local gateway, answered from the part store (s3rver keeps no
 * list of open uploads). Paged like S3: by key, then upload id, `max-uploads` at a time, with
 * `key-marker` / `upload-id-marker`.
 */
import type { ServerResponse } from 'node:http';
import type { PartStore } from '../part-store.js';
import { esc } from '../xml.js';
import type { Handler } from './handler.js';

/** ListMultipartUploads' handler. */
export function listUploads(d: { parts: PartStore }): Handler {
  return async (r) => {
    r.req.resume();
    await answerUploads(d.parts, r.bucket, r.q, r.res);
  };
}

async function answerUploads(parts: PartStore, bucket: string, q: Map<string, string>, res: ServerResponse): Promise<void> {
  const prefix = q.get('prefix') ?? '';
  const keyMarker = q.get('key-marker') ?? '';
  const idMarker = q.get('upload-id-marker') ?? '';
  const max = Math.max(1, Math.min(1000, Number(q.get('max-uploads') ?? 1000) || 1000));
  const after = (await parts.uploads(bucket, prefix)).filter(
    (u) => !keyMarker || u.key > keyMarker || (u.key === keyMarker && idMarker !== '' && u.uploadId > idMarker),
  );
  const page = after.slice(0, max);
  const truncated = after.length > page.length;
  const last = page[page.length - 1];
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    `<Bucket>${esc(bucket)}</Bucket><KeyMarker>${esc(keyMarker)}</KeyMarker><UploadIdMarker>${esc(idMarker)}</UploadIdMarker>` +
    (truncated ? `<NextKeyMarker>${esc(last.key)}</NextKeyMarker><NextUploadIdMarker>${esc(last.uploadId)}</NextUploadIdMarker>` : '') +
    `<Prefix>${esc(prefix)}</Prefix><MaxUploads>${max}</MaxUploads><IsTruncated>${truncated}</IsTruncated>` +
    page
      .map(
        (u) =>
          `<Upload><Key>${esc(u.key)}</Key><UploadId>${esc(u.uploadId)}</UploadId><Initiated>${u.initiated}</Initiated><StorageClass>STANDARD</StorageClass></Upload>`,
      )
      .join('') +
    '</ListMultipartUploadsResult>';
  res.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
