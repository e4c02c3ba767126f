/**
 * Sends bytes to a presigned URL with exactly the headers the server signed. Keep-alive
 * connections; bodies are either a reused buffer (parts) or a file stream (small files).
 * S3 answers are mapped to what the engine must do: retry, re-presign, or stop.
 */
import { createReadStream } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, type ClientRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { PresignedRequest } from '../../core/api.js';
import { RecpipeError } from '../../core/errors.js';
import { classifyS3, parseS3ErrorBody, s3Error, type S3Words } from '../../core/s3-outcome.js';
import { THROTTLE_SLICE, type Throttle } from './throttle.js';

export type Body = { buffer: Buffer } | { path: string; start: number; size: number };

export class PutTransport {
  private readonly http = new HttpAgent({ keepAlive: true, maxSockets: 64 });
  private readonly https: HttpsAgent;
  /** Bytes handed to the network, for reports and tests. */
  bytesSent = 0;

  /** `ca`: certificates to trust besides the system's (tests; NODE_EXTRA_CA_CERTS otherwise). */
  constructor(o: { ca?: Buffer } = {}) {
    this.https = new HttpsAgent({ keepAlive: true, maxSockets: 64, ...(o.ca ? { ca: o.ca } : {}) });
  }

  /** `throttle`: the --bwlimit bucket the body's bytes are taken from as they are written. */
  async put(req: PresignedRequest, body: Body, signal?: AbortSignal, throttle?: Throttle): Promise<{ etag: string }> {
    const { status, text, etag } = await this.exchange(req, body, signal, true, throttle);
    if (status === 200) return { etag };
    throw s3Failure(status, text, req.key);
  }

  /**
   * Sends a presigned CompleteMultipartUpload (its body is in the request), with its
   * Content-Length (never chunked). No timeout: the store may take minutes to assemble a big
   * object. S3 can answer 200 with an <Error> body when it fails after it started answering:
   * that is a failure like any other.
   */
  async complete(req: PresignedRequest, signal?: AbortSignal): Promise<void> {
    const { status, text } = await this.exchange(req, { buffer: Buffer.from(req.body ?? '', 'utf8') }, signal, false);
    if (status === 200 && !/<Error>/.test(text)) return;
    throw s3Failure(status, text, req.key);
  }

  /** `count`: add the body to bytesSent (file bytes only, not protocol bodies). */
  private exchange(
    req: PresignedRequest,
    body: Body,
    signal?: AbortSignal,
    count = true,
    throttle?: Throttle,
  ): Promise<{ status: number; text: string; etag: string }> {
    const url = new URL(req.url);
    const isHttps = url.protocol === 'https:';
    const send = isHttps ? httpsRequest : httpRequest;
    // Every body goes with its length: Node sends a request without one chunked once its body is
    // written in pieces (TLS slices, throttling), and S3 answers a chunked CompleteMultipartUpload
    // (XML) 411 (issue 25). Part and PUT URLs sign their length already.
    const headers =
      'buffer' in body && !Object.keys(req.headers).some((h) => h.toLowerCase() === 'content-length')
        ? { ...req.headers, 'content-length': String(body.buffer.length) }
        : req.headers;
    return new Promise((resolve, reject) => {
      const r = send(url, { method: req.method, headers, agent: isHttps ? this.https : this.http, signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), etag: String(res.headers.etag ?? '') }));
        res.on('error', (e) => reject(network(e, req.key)));
      });
      r.on('error', (e) => reject(signal?.aborted ? new RecpipeError('interrupted', 'upload interrupted', { cause: e }) : network(e, req.key)));
      if (throttle) {
        this.throttled(r, body, throttle, signal).catch((e: unknown) => r.destroy(e as Error));
      } else if ('buffer' in body) {
        if (count) this.bytesSent += body.buffer.length;
        if (isHttps) writeInSlices(r, body.buffer).catch((e: unknown) => r.destroy(e as Error));
        else r.end(body.buffer);
      } else {
        const s = createReadStream(body.path, { start: body.start, end: body.start + body.size - 1, highWaterMark: 1024 * 1024 });
        s.on('data', (c) => (this.bytesSent += c.length));
        s.on('error', (e) => r.destroy(e));
        s.pipe(r);
      }
    });
  }

  /** Writes the body in slices, each taken from the bucket first, minding backpressure. */
  private async throttled(r: ClientRequest, body: Body, throttle: Throttle, signal?: AbortSignal): Promise<void> {
    const chunks: AsyncIterable<Buffer> | Buffer[] =
      'buffer' in body ? [body.buffer] : createReadStream(body.path, { start: body.start, end: body.start + body.size - 1, highWaterMark: THROTTLE_SLICE });
    for await (const chunk of chunks) {
      for (let at = 0; at < chunk.length; at += THROTTLE_SLICE) {
        const slice = chunk.subarray(at, at + THROTTLE_SLICE);
        await throttle.take(slice.length, signal);
        if (r.destroyed) return;
        this.bytesSent += slice.length;
        if (!r.write(slice)) await drainOrClose(r);
      }
    }
    r.end();
  }

  close(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

/** The most plaintext a TLS request is handed at once (see writeInSlices): 16 parts in flight queue at most 4 MiB of ciphertext. */
export const TLS_SLICE = 256 * 1024;

/**
 * Writes `buffer` a slice at a time, each once the stream has drained, then ends it. Over TLS a
 * write is encrypted into new memory at once and queued until the socket takes it: a part buffer
 * written whole doubled the part memory (peak RSS 295-301 MB with 16 parts of 6 MiB in flight
 * over TLS, against 175 MB over plain http, which sends from the buffer itself).
 */
export async function writeInSlices(w: Pick<ClientRequest, 'write' | 'end' | 'once' | 'off' | 'destroyed'>, buffer: Buffer, slice = TLS_SLICE): Promise<void> {
  for (let at = 0; at < buffer.length && !w.destroyed; at += slice) {
    if (!w.write(buffer.subarray(at, at + slice))) await drainOrClose(w);
  }
  w.end();
}

/**
 * Resolves when `w` drains or closes, and removes the listener that did not fire: a body written
 * in hundreds of slices waits here hundreds of times on one request, and a `close` listener left
 * behind by each wait grew past Node's limit of 10 (MaxListenersExceededWarning under --bwlimit).
 */
export function drainOrClose(w: Pick<ClientRequest, 'once' | 'off'>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      w.off('drain', done);
      w.off('close', done);
      resolve();
    };
    w.once('drain', done);
    w.once('close', done);
  });
}

function network(e: Error, key: string): RecpipeError {
  return s3Error({ network: (e as NodeJS.ErrnoException).code ?? e.name, message: e.message }, key, { words: PUT_WORDS, cause: e });
}

/**
 * The presigned path's wording: it knows the bytes came from a file on the rig, read once and
 * bound to their checksum. Codes and retryability are the classifier's (core/s3-outcome.ts).
 */
const PUT_WORDS: S3Words = {
  expired: (key) => ({ message: `presigned URL for ${key} expired` }),
  integrity: (key, _a, said) => ({
    message: `the store rejected the bytes of ${key} (${said}): the file changed while it was being uploaded`,
    hint: 're-run once the file is stable; nothing was committed',
  }),
  'no-such-upload': (key) => ({
    message: `the multipart upload of ${key} is gone (completed or aborted)`,
    hint: 'run the upload again: the file is sent anew',
  }),
  conflict: (key) => ({
    message: `${key} already exists in the raw store with other content; it was not overwritten`,
    hint: 'a different session was uploaded under this name: rename one of them',
  }),
  throttled: (key, a, said) => ({ message: `the store answered ${a.status} ${said} for ${key}` }),
  server: (key, a, said) => ({ message: `the store answered ${a.status} ${said} for ${key}` }),
  network: (key, a) => ({ message: `sending ${key} failed: ${a.message}` }),
  'bad-request': (key, a, said) => ({ message: `the store refused ${key}: ${a.status} ${said} ${a.message ?? ''}`.trim() }),
};

/** Maps an S3 answer to what the engine should do, by the one classifier. */
export function s3Failure(status: number, body: string, key: string): RecpipeError {
  const answer = { status, ...parseS3ErrorBody(body) };
  // A 2xx whose body is an <Error> without a code: S3 failed after it began answering.
  if (classifyS3(answer).kind === 'ok') answer.code = 'InternalError';
  return s3Error(answer, key, { words: PUT_WORDS });
}
