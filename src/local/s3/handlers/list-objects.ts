/**
 * ListObjectsV2 for the local gateway, built from s3rver's plain key listing (list-upstream.ts):
 * keys are grouped under common prefixes here, `max-keys` counts keys and prefixes together,
 * and the continuation token is the gateway's own (rules/listing.ts; s3rver signs its v2 tokens
 * with DES, which Node 17+ lacks). With `encoding-type=url` keys and prefixes come URL-encoded.
 */
import { answer, type S3Request } from '../request.js';
import { continuationToken, resumeAfter } from '../rules/listing.js';
import type { Upstream } from '../upstream.js';
import { encodeEventKey, esc } from '../xml.js';
import { isFailure, type Handler } from './handler.js';
import { listUpstream } from './list-upstream.js';

/** Where the page starts: after the token's entry, else after start-after. */
function startAfter(r: S3Request) {
  const token = r.q.get('continuation-token');
  return token === undefined ? (r.q.get('start-after') ?? '') : resumeAfter(token);
}

interface Page {
  entries: ({ key: string; contents: string } | { prefix: string })[];
  truncated: boolean;
}

async function page(up: Upstream, r: S3Request, prefix: string, after: string, max: number, delimiter: string): Promise<Page> {
  const entries: Page['entries'] = [];
  let lastPrefix: string | undefined;
  // Without a delimiter every key is an entry: one more than a page tells whether it is truncated.
  for await (const o of listUpstream(up, r.bucket, prefix, after, delimiter ? 1000 : Math.min(1000, max + 1))) {
    const cut = delimiter ? o.key.indexOf(delimiter, prefix.length) : -1;
    const common = cut < 0 ? undefined : o.key.slice(0, cut + delimiter.length);
    // The rest of a common prefix already returned (this page, or the page before: the token).
    if (common !== undefined && (common === lastPrefix || common === after)) continue;
    if (entries.length === max) return { entries, truncated: true };
    entries.push(common === undefined ? o : { prefix: common });
    lastPrefix = common;
  }
  return { entries, truncated: false };
}

/** ListObjectsV2's handler. */
export function listObjects(d: { upstream: Upstream }): Handler {
  return async (r) => {
    r.req.resume();
    const after = startAfter(r);
    if (isFailure(after)) return answer(r, after);
    const q = r.q;
    const prefix = q.get('prefix') ?? '';
    const delimiter = q.get('delimiter') ?? '';
    const max = Math.min(1000, Number(q.get('max-keys') ?? 1000) || 1000);
    const { entries, truncated } = await page(d.upstream, r, prefix, after, max, delimiter);
    const url = q.get('encoding-type') === 'url';
    const text = (s: string) => esc(url ? encodeEventKey(s) : s);
    const last = entries[entries.length - 1];
    const token = q.get('continuation-token');
    const body =
      '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
      `<Name>${esc(r.bucket)}</Name><Prefix>${text(prefix)}</Prefix>${delimiter ? `<Delimiter>${text(delimiter)}</Delimiter>` : ''}` +
      `<MaxKeys>${max}</MaxKeys>${url ? '<EncodingType>url</EncodingType>' : ''}<IsTruncated>${truncated}</IsTruncated><KeyCount>${entries.length}</KeyCount>` +
      (token !== undefined ? `<ContinuationToken>${esc(token)}</ContinuationToken>` : '') +
      (truncated ? `<NextContinuationToken>${continuationToken('key' in last ? last.key : last.prefix)}</NextContinuationToken>` : '') +
      (q.has('start-after') ? `<StartAfter>${text(q.get('start-after')!)}</StartAfter>` : '') +
      entries
        .filter((e) => 'key' in e)
        .map((e) => (url ? e.contents.replace(/<Key>[^<]*<\/Key>/, `<Key>${text(e.key)}</Key>`) : e.contents))
        .join('') +
      entries
        .filter((e) => 'prefix' in e)
        .map((e) => `<CommonPrefixes><Prefix>${text(e.prefix)}</Prefix></CommonPrefixes>`)
        .join('') +
      '</ListBucketResult>';
    r.res.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
    r.res.end(body);
  };
}
