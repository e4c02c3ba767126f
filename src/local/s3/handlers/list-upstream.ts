/**
 * Reads s3rver's v1 listing, page by page, as plain keys under a prefix (no delimiter: s3rver
 * skips every folder two levels below a common prefix, so a prefix holding only deeper keys was
 * never listed; the gateway groups keys itself, list-objects.ts).
 */
import { readAll, sendUpstream, type Upstream } from '../upstream.js';

/** One listed object: its key and s3rver's `<Contents>` element for it. */
export interface Listed {
  key: string;
  contents: string;
}

/** The text of an XML element's value. */
export const unescapeXml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** Keys under `prefix` after `marker`, in order, `pageSize` (at most 1,000) at a time; throws on a store error. */
export async function* listUpstream(up: Upstream, bucket: string, prefix: string, marker: string, pageSize = 1000): AsyncGenerator<Listed> {
  let after = marker;
  for (;;) {
    const params = new URLSearchParams({ prefix, 'max-keys': String(pageSize) });
    if (after) params.set('marker', after);
    const res = await sendUpstream(up, 'GET', `/${encodeURIComponent(bucket)}/?${params.toString().replace(/\+/g, '%20')}`, {});
    const xml = (await readAll(res)).toString('utf8');
    if (res.statusCode !== 200) throw new Error(`s3rver listing of ${bucket}/${prefix} answered ${res.statusCode}`);
    const page = [...xml.matchAll(/<Contents>[\s\S]*?<\/Contents>/g)].map((m) => ({ key: unescapeXml(/<Key>([^<]*)<\/Key>/.exec(m[0])![1]), contents: m[0] }));
    yield* page;
    if (!/<IsTruncated>true<\/IsTruncated>/.test(xml) || page.length === 0) return;
    after = page[page.length - 1].key;
  }
}
