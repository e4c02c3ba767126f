/**
 * Signs many UploadPart URLs of one upload from one the SDK signed (the template), in a few
 * microseconds each: a batch (api-batch.ts) signs up to thousands of parts, and the SDK's
 * presigner costs about a millisecond of CPU per URL, which a 256 MB Lambda (a sixth of a vCPU)
 * turns into seconds. The parts of one upload differ from the template only in part number,
 * length and CRC32C, so the canonical request is rebuilt with those and signed with the key the
 * template's date, region and credentials derive (core/sigv4.ts). The template's own signature
 * is recomputed first: if it does not come out identical (an SDK change in what it signs),
 * `partSigner` answers undefined and the caller signs every part with the SDK.
 */
import { canonicalQuery, signingKey, signWithKey } from '../../core/sigv4.js';

export interface TemplatePart {
  partNumber: number;
  size: number;
  /** Signed header name (`x-amz-checksum-crc32c`) and value. */
  checksum: { header: string; value: string };
}

/** Signs parts like the template; undefined when the template cannot be reproduced. */
export function partSigner(templateUrl: string, template: TemplatePart, secretAccessKey: string): ((p: TemplatePart) => string) | undefined {
  const u = new URL(templateUrl);
  const q = [...u.searchParams.entries()];
  const get = (name: string) => q.find(([k]) => k === name)?.[1];
  const [amzDate, credential, signedHeaders, expected] = [get('X-Amz-Date'), get('X-Amz-Credential'), get('X-Amz-SignedHeaders'), get('X-Amz-Signature')];
  if (!amzDate || !credential || !signedHeaders || !expected || get('partNumber') !== String(template.partNumber)) return undefined;
  const [, date, region, service] = credential.split('/');
  const key = signingKey(secretAccessKey, date, region, service);
  const names = signedHeaders.split(';');
  const payload = get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD';
  const unsigned = q.filter(([k]) => k !== 'X-Amz-Signature');

  const sign = (p: TemplatePart) => {
    const query = unsigned.map(([k, v]) => [k, k === 'partNumber' ? String(p.partNumber) : v] as const);
    const values: Record<string, string> = { host: u.host, 'content-length': String(p.size), [p.checksum.header]: p.checksum.value };
    if (names.some((n) => values[n] === undefined)) return undefined;
    const headers = names.map((n) => `${n}:${values[n]}\n`).join('');
    const canonical = ['PUT', u.pathname, canonicalQuery(query), headers, signedHeaders, payload].join('\n');
    const signature = signWithKey(key, amzDate, region, service, canonical).toString('hex');
    return `${u.protocol}//${u.host}${u.pathname}?${canonicalQuery([...query, ['X-Amz-Signature', signature]])}`;
  };
  const again = sign(template);
  if (!again || new URL(again).searchParams.get('X-Amz-Signature') !== expected) return undefined;
  return (p) => sign(p)!;
}
