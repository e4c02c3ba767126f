/**
 * ListObjectsV2 for the local gateway. s3rver signs its v2 continuation tokens with DES, which
 * OpenSSL 3 (Node 17+) no longer provides, so any listing longer than one page crashes it. The
 * gateway asks s3rver for v1 pages (marker-based, no token) and answers in v2 form with its own
 * token (rules/listing.ts), so clients page through any number of keys. With
 * `encoding-type=url` keys and prefixes are URL-encoded in the answer, as S3 does.
 */
import { answer, type S3Request } from '../request.js';
import { continuationToken, resumeAfter } from '../rules/listing.js';
import { readAll, sendUpstream, type Upstream } from '../upstream.js';
import { encodeEventKey, esc, sendS3Error } from '../xml.js';
import { isFailure, type Handler } from './handler.js';

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** Where the page starts: after the token's key, else after start-after. */
function marker(r: S3Request) {
  const token = r.q.get('continuation-token');
  if (token === undefined) return r.q.get('start-after') ?? '';
  return resumeAfter(token);
}

export function listObjects(d: { upstream: Upstream }): Handler {
  return async (r) => {
    r.req.resume();
    const after = marker(r);
    if (isFailure(after)) return answer(r, after);
    const q = r.q;
    const maxKeys = Math.min(1000, Number(q.get('max-keys') ?? 1000) || 1000);
    const params = new URLSearchParams({ prefix: q.get('prefix') ?? '', 'max-keys': String(maxKeys) });
    if (after) params.set('marker', after);
    if (q.get('delimiter')) params.set('delimiter', q.get('delimiter')!);
    const upstream = await sendUpstream(d.upstream, 'GET', `/${encodeURIComponent(r.bucket)}/?${params.toString().replace(/\+/g, '%20')}`, {});
    const xml = (await readAll(upstream)).toString('utf8');
    if (upstream.statusCode !== 200) {
      r.res.writeHead(upstream.statusCode ?? 500, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
      r.res.end(xml);
      return;
    }
    const keys = [...xml.matchAll(/<Contents>[\s\S]*?<Key>([^<]*)<\/Key>/g)].map((m) => unescape(m[1]));
    const prefixes = [...xml.matchAll(/<CommonPrefixes>\s*<Prefix>([^<]*)<\/Prefix>/g)].map((m) => unescape(m[1]));
    const truncated = /<IsTruncated>true<\/IsTruncated>/.test(xml);
    // With a delimiter a page may hold only common prefixes: the next page starts after the
    // greatest key or prefix returned (S3's NextMarker, when s3rver gives one).
    const nextMarker = /<NextMarker>([^<]*)<\/NextMarker>/.exec(xml)?.[1];
    const last = nextMarker !== undefined ? unescape(nextMarker) : [...keys, ...prefixes].sort().pop();
    if (truncated && !last) return sendS3Error(r.res, 500, 'InternalError', 'truncated listing without keys or prefixes');
    const token = q.get('continuation-token');
    const extra =
      `<KeyCount>${keys.length + prefixes.length}</KeyCount>` +
      (token ? `<ContinuationToken>${esc(token)}</ContinuationToken>` : '') +
      (truncated ? `<NextContinuationToken>${continuationToken(last!)}</NextContinuationToken>` : '') +
      (q.has('start-after') ? `<StartAfter>${esc(q.get('start-after')!)}</StartAfter>` : '');
    let body = xml
      .replace(/<Marker>[^<]*<\/Marker>|<Marker\/>/, '')
      .replace(/<NextMarker>[^<]*<\/NextMarker>/, '')
      .replace('</ListBucketResult>', `${extra}</ListBucketResult>`);
    if (q.get('encoding-type') === 'url') body = urlEncoded(body);
    r.res.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
    r.res.end(body);
  };
}

/** S3's `encoding-type=url` answer: Key, Prefix, Delimiter and StartAfter values URL-encoded. */
function urlEncoded(xml: string): string {
  const encoded = xml.replace(
    /<(Key|Prefix|Delimiter|StartAfter)>([^<]*)<\/\1>/g,
    (_, tag: string, v: string) => `<${tag}>${esc(encodeEventKey(unescape(v)))}</${tag}>`,
  );
  return encoded.replace('</ListBucketResult>', '<EncodingType>url</EncodingType></ListBucketResult>');
}
