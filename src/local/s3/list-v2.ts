/**
 * ListObjectsV2 for the local gateway. s3rver signs its v2 continuation tokens with DES, which
 * OpenSSL 3 (Node 17+) no longer provides, so any listing longer than one page crashes it. The
 * gateway asks s3rver for v1 pages (marker-based, no token) and answers in v2 form with its own
 * token (the last key, base64url), so clients page through any number of keys.
 */
import type { ServerResponse } from 'node:http';
import { readAll, sendUpstream, type Upstream } from './upstream.js';
import { sendS3Error } from './xml.js';

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

export async function listObjectsV2(up: Upstream, bucket: string, q: Map<string, string>, res: ServerResponse): Promise<void> {
  const token = q.get('continuation-token');
  const marker = token ? Buffer.from(token, 'base64url').toString('utf8') : (q.get('start-after') ?? '');
  const maxKeys = Math.min(1000, Number(q.get('max-keys') ?? 1000) || 1000);
  const params = new URLSearchParams({ prefix: q.get('prefix') ?? '', 'max-keys': String(maxKeys) });
  if (marker) params.set('marker', marker);
  if (q.get('delimiter')) params.set('delimiter', q.get('delimiter')!);
  const upstream = await sendUpstream(up, 'GET', `/${encodeURIComponent(bucket)}/?${params.toString().replace(/\+/g, '%20')}`, {});
  const xml = (await readAll(upstream)).toString('utf8');
  if (upstream.statusCode !== 200) {
    res.writeHead(upstream.statusCode ?? 500, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
    res.end(xml);
    return;
  }
  const keys = [...xml.matchAll(/<Contents>[\s\S]*?<Key>([^<]*)<\/Key>/g)].map((m) => unescape(m[1]));
  const prefixes = [...xml.matchAll(/<CommonPrefixes>\s*<Prefix>([^<]*)<\/Prefix>/g)].map((m) => unescape(m[1]));
  const truncated = /<IsTruncated>true<\/IsTruncated>/.test(xml);
  // With a delimiter a page may hold only common prefixes: the next page starts after the
  // greatest key or prefix returned (S3's NextMarker, when s3rver gives one).
  const nextMarker = /<NextMarker>([^<]*)<\/NextMarker>/.exec(xml)?.[1];
  const last = nextMarker !== undefined ? unescape(nextMarker) : [...keys, ...prefixes].sort().pop();
  if (truncated && !last) return sendS3Error(res, 500, 'InternalError', 'truncated listing without keys or prefixes');
  const extra = `<KeyCount>${keys.length + prefixes.length}</KeyCount>${token ? `<ContinuationToken>${token}</ContinuationToken>` : ''}${truncated ? `<NextContinuationToken>${Buffer.from(last!, 'utf8').toString('base64url')}</NextContinuationToken>` : ''}`;
  const body = xml
    .replace(/<Marker>[^<]*<\/Marker>|<Marker\/>/, '')
    .replace(/<NextMarker>[^<]*<\/NextMarker>/, '')
    .replace('</ListBucketResult>', `${extra}</ListBucketResult>`);
  res.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
