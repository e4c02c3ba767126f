/**
 * Speaking the API of a running embedded stack as a rig would, byte for byte: JSON calls, the
 * presigned PUTs, a whole multipart upload. The attack tests drive the real gateway and API
 * through it; nothing here is faked.
 */
import { createHash } from 'node:crypto';
import { crc32c } from '@node-rs/crc32';
import type { TestStack } from '../helpers/stack.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are asserted field by field
export type Reply = { status: number; json: any };
export type Presigned = { url: string; headers: Record<string, string>; method?: string; body?: string };

export const sha256b64 = (b: Buffer) => createHash('sha256').update(b).digest('base64');
export const crc32cB64 = (b: Buffer) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32c(b));
  return out.toString('base64');
};

/** The API of `stack` as one client sees it. */
export function stackApi(stack: TestStack) {
  const call = async (path: string, token?: string, body?: unknown, raw?: string): Promise<Reply> => {
    const res = await fetch(stack.info.api + path, {
      method: body === undefined && raw === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    return { status: res.status, json: await res.json() };
  };
  const login = async (apiKey: string) => (await call('/v1/auth', undefined, { apiKey })).json.token as string;
  const put = (p: Presigned, body: Buffer) => fetch(p.url, { method: 'PUT', headers: p.headers, body });

  /** Presigns and PUTs one file with the checksum algorithm given; returns the PUT's status. */
  const putFile = async (token: string, session: string, file: string, body: Buffer, algorithm: 'SHA256' | 'CRC32C' = 'SHA256') => {
    const value = algorithm === 'SHA256' ? sha256b64(body) : crc32cB64(body);
    const url = await call('/v1/presign', token, { session, file, size: body.length, checksum: { algorithm, value } });
    if (url.status !== 200) throw new Error(`presign ${file}: ${url.status} ${JSON.stringify(url.json)}`);
    return (await put(url.json, body)).status;
  };

  /** A whole multipart upload of `body` in one part, completed through the API. */
  const multipartFile = async (token: string, session: string, file: string, body: Buffer) => {
    const start = await call('/v1/multipart/start', token, { session, file, size: body.length });
    if (start.status !== 200) throw new Error(`start ${file}: ${start.status} ${JSON.stringify(start.json)}`);
    const checksum = { algorithm: 'CRC32C', value: crc32cB64(body) };
    const { uploadId, ticket } = start.json;
    const part = await call('/v1/multipart/part', token, { session, file, uploadId, ticket, partNumber: 1, size: body.length, checksum });
    const sent = await put(part.json, body);
    const etag = sent.headers.get('etag') ?? '';
    const done = await call('/v1/multipart/complete', token, { session, file, uploadId, ticket, parts: [{ partNumber: 1, etag, checksum }] });
    if (done.status !== 200) throw new Error(`complete ${file}: ${done.status} ${JSON.stringify(done.json)}`);
    return done.json;
  };

  return { call, login, put, putFile, multipartFile };
}

/** The raw bucket's keys and sizes under `prefix`, sorted: what an attack must leave unchanged. */
export const rawKeys = async (stack: TestStack, prefix = 'raw/') => (await stack.raw.list(prefix)).map((o) => `${o.key}:${o.size}`).sort();
