// Raw HTTP for the malformed-request scenario: any method, path (even badly percent-encoded),
// headers and body; connection errors are answers too ('reset'), never exceptions.
import { request } from 'node:http';

/** Sends one request to `base` (http://host:port); resolves with { status, body }. */
export function send(base, { method = 'GET', path = '/', headers = {}, body }) {
  return new Promise((resolve) => {
    const u = new URL(base);
    let req;
    try {
      req = request(
        {
          host: u.hostname,
          port: u.port,
          method,
          path,
          agent: false,
          headers: { ...(body !== undefined ? { 'content-length': Buffer.byteLength(body) } : {}), ...headers },
        },
        (res) => {
          const chunks = [];
          res.on('data', (d) => chunks.push(d));
          res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', () => resolve({ status: 'reset', body: '' }));
        },
      );
    } catch (e) {
      // Node's own client refuses some paths (control characters): nothing reached the server.
      return resolve({ status: 'unsent', body: String(e.code) });
    }
    req.on('error', (e) => resolve({ status: 'reset', body: String(e.code) }));
    req.setTimeout(15_000, () => {
      req.destroy();
      resolve({ status: 'timeout', body: '' });
    });
    req.end(body);
  });
}

const json = { 'content-type': 'application/json' };
export const bearer = (token) => ({ ...json, authorization: `Bearer ${token}` });

/** Valid-looking bodies per API route, for the fuzzer to break. */
export function templates(session) {
  const checksum = { algorithm: 'SHA256', value: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=' };
  return [
    { method: 'POST', path: '/v1/presign', body: { session, file: 'data_00.bin', size: 10, checksum } },
    { method: 'POST', path: '/v1/multipart/start', body: { session, file: 'data_00.bin', size: 6 * 1024 * 1024 } },
    {
      method: 'POST',
      path: '/v1/multipart/part',
      body: { session, file: 'data_00.bin', uploadId: 'x', ticket: 'rpu1.x.y', partNumber: 1, size: 5 * 1024 * 1024, checksum },
    },
    {
      method: 'POST',
      path: '/v1/uploads/batch',
      body: {
        session,
        state: true,
        files: [
          {
            file: 'data_00.bin',
            start: { size: 6 * 1024 * 1024, partSize: 5 * 1024 * 1024 },
            parts: [{ partNumber: 1, checksum: { algorithm: 'CRC32C', value: 'AAAAAA==' } }],
            complete: true,
          },
          { file: 'data_01.bin', ticket: 'rpu1.eyJrIjoieCJ9.AAAA', parts: [{ partNumber: 2, checksum: { algorithm: 'CRC32C', value: 'AAAAAA==' } }] },
          { file: 'meta.txt', put: { size: 10, checksum } },
        ],
      },
    },
    {
      method: 'POST',
      path: '/v1/multipart/complete',
      body: { session, file: 'data_00.bin', uploadId: 'x', parts: [{ partNumber: 1, etag: '"e"', checksum }] },
    },
    {
      method: 'POST',
      path: '/v1/commit',
      body: { manifest: { schema: 'recpipe.manifest/1', sessionId: `local-rig/${session}`, rig: 'local-rig', session, files: [] } },
    },
    { method: 'POST', path: '/v1/events', body: { events: [{ event: 'session.seen', at: new Date(0).toISOString() }] } },
  ];
}

/** A seeded wrong value: wrong type, huge, hostile text, or nothing. */
export function wrongValue(r) {
  const choices = [
    () => null,
    () => -1,
    () => 1e300,
    () => 'NaN',
    () => [],
    () => ({}),
    () => true,
    () => '',
    () => '../'.repeat(r.int(1, 40)) + 'etc/passwd',
    () => 'x'.repeat(r.int(1000, 200_000)),
    () => 'hello? sausage/êé/Hello, 世界/"\'<>%00',
    () => String.fromCharCode(...Array.from({ length: r.int(1, 64) }, () => r.int(0, 0xffff))),
    () => Array.from({ length: r.int(1, 5000) }, () => r.int(0, 9)),
    () => undefined,
  ];
  return choices[r.int(0, choices.length - 1)]();
}

/** Breaks a template body in a seeded way: a field made wrong or dropped, or the text cut or garbled. */
export function mutate(r, body) {
  const kind = r.int(0, 4);
  if (kind <= 1) {
    const copy = structuredClone(body);
    const keys = Object.keys(copy);
    const target = kind === 0 || keys.length === 0 ? copy : copy[keys[r.int(0, keys.length - 1)]];
    const k = Object.keys(target ?? {});
    if (target && typeof target === 'object' && k.length > 0) target[k[r.int(0, k.length - 1)]] = wrongValue(r);
    return JSON.stringify(copy);
  }
  const text = JSON.stringify(body);
  if (kind === 2) return text.slice(0, r.int(0, text.length - 1));
  if (kind === 3) return Buffer.from(Array.from({ length: r.int(1, 512) }, () => r.int(0, 255))).toString('latin1');
  return JSON.stringify(wrongValue(r) ?? null);
}
