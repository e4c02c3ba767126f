/**
 * A plain HTTP/1.1 GET of one presigned URL whose body is read into one reused buffer
 * (`onread` on net and tls sockets) and handed to the caller slice by slice.
 *
 * Why not Node's HTTP client: it reads the socket 64 KB at a time into freshly allocated
 * buffers and pushes each through a stream, which cost pull more CPU (allocation, garbage
 * collection, per-chunk stream work) than hashing every byte. This reader does one thing:
 * a `200` with a `Content-Length` and an unencoded body. Given a `KeptConnection`, the
 * connection stays open afterwards (HTTP/1.1 keep-alive) and the next GET to the same origin
 * reuses it, without the TCP and TLS handshakes; else it is closed.
 * An error status (4xx, 5xx) is read with its small XML body and classified by the one S3
 * outcome classifier (core/s3-outcome.ts), like the SDK's and the upload's answers. Any other
 * answer it cannot take (a chunked or compressed body, a redirect) is refused with
 * `RawGetUnsupported` before a single body byte is handed over, and the caller falls back to the
 * SDK, which knows how to read it. The bytes themselves are checked by the caller
 * (size and SHA-256 against the index), so a reader bug cannot put wrong data in place.
 */
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { RecpipeError } from '../../core/errors.js';
import { parseS3ErrorBody, s3Error, type S3Words } from '../../core/s3-outcome.js';
import { ErrorAnswer } from './error-answer.js';

/** The raw GET's wording; codes and retryability are the one classifier's (core/s3-outcome.ts). */
const GET_WORDS: S3Words = {
  throttled: (what, a, said) => ({ message: `download of ${what}: the store answered ${a.status} ${said} (slow down)` }),
  server: (what, a, said) => ({ message: `download of ${what}: the store answered ${a.status} ${said}` }),
};

/** The answer is one this reader does not handle; nothing of the body was handed over. */
export class RawGetUnsupported extends Error {
  constructor(
    readonly reason: string,
    readonly status?: number,
  ) {
    super(reason);
    this.name = 'RawGetUnsupported';
  }
}

export interface RawGetOptions {
  signal?: AbortSignal;
  /** No byte for this long fails the request. */
  idleTimeoutMs?: number;
  /**
   * The whole request, connect to last byte, fails after this long (default 30 min), so a
   * server that sends a byte now and then cannot hold a download slot forever.
   */
  deadlineMs?: number;
  /** Only these bytes of the object (inclusive), answered with a `206`. */
  range?: { start: number; end: number };
  /** The receive buffer, reused for every read of the socket (1 MB if absent). */
  readBuffer?: Buffer;
  /** Names the object in error messages. */
  what?: string;
  /** Certificate authorities to trust instead of Node's (https only; tests, private endpoints). */
  ca?: string | Buffer;
  /** Keep the connection for the next GET (and reuse the one it holds, if to the same origin). */
  keep?: KeptConnection;
}

/**
 * One connection kept open between GETs, owned by one download slot (never two GETs at once).
 * Its socket reads through whichever GET is current; while idle it is unref'd, so it does not
 * keep the process alive, and any byte or close that comes then drops it.
 */
export class KeptConnection {
  /** @internal */ socket: Socket | undefined;
  /** @internal */ origin = '';
  /** @internal */ onRead: (n: number, buf: Buffer) => boolean = () => false;
  /** @internal */ buffer: () => Buffer = () => Buffer.allocUnsafe(64 * 1024);
  /** @internal */ idle: (() => void) | undefined;
  /** GETs that reused the connection (for tests and benchmarks). */
  reused = 0;

  /** Closes the connection, if one is kept. */
  close(): void {
    this.socket?.destroy();
    this.drop();
  }

  /** @internal Forgets the socket (closed, failed, or handed back by a GET that did not end cleanly). */
  drop(): void {
    if (this.socket && this.idle) {
      this.socket.removeListener('close', this.idle);
      this.socket.removeListener('error', this.idle);
    }
    this.socket = undefined;
    this.idle = undefined;
  }
}

/** Receives the body. */
export interface BodySink {
  /** Body bytes in the reader's own buffer, overwritten by the next read: copy them. false pauses the socket until `resume()`. */
  push(chunk: Buffer): boolean;
  /**
   * Memory the next read may land in directly (at least 64 KB), so the body is not copied
   * again; undefined to use the reader's buffer.
   */
  space?(): Buffer | undefined;
  /** `chunk` (the start of the last `space()`) now holds body bytes. false pauses, as for push. */
  commit?(chunk: Buffer): boolean;
}

export interface RawGet {
  /** Resolves with the body length once every byte of it was handed to the sink. */
  readonly done: Promise<number>;
  /** Restarts reading after the sink returned false. */
  resume(): void;
  /** Stops the request; `done` rejects with `reason`. */
  cancel(reason: Error): void;
}

const MAX_HEAD = 64 * 1024;

export interface ResponseHead {
  status: number;
  headers: Map<string, string>;
}

/** Parses a status line and header block (without the blank line); undefined when malformed. */
export function parseResponseHead(text: string): ResponseHead | undefined {
  const lines = text.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(lines[0] ?? '');
  if (!m) return undefined;
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i <= 0) return undefined;
    const name = line.slice(0, i).trim().toLowerCase();
    const value = line.slice(i + 1).trim();
    // Repeated headers are joined as HTTP says; a repeated Content-Length is refused below.
    headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
  }
  return { status: Number(m[1]), headers };
}

/** The body length of a response this reader can take, or why not. */
export function bodyLength(head: ResponseHead, range?: { start: number; end: number }): number | RawGetUnsupported {
  if (head.status !== (range ? 206 : 200)) return new RawGetUnsupported(`status ${head.status}`, head.status);
  if (range) {
    const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(head.headers.get('content-range') ?? '');
    if (!m || Number(m[1]) !== range.start || Number(m[2]) !== range.end)
      return new RawGetUnsupported(`content-range ${head.headers.get('content-range') ?? 'missing'}`, head.status);
  }
  const te = head.headers.get('transfer-encoding');
  if (te !== undefined && te.toLowerCase() !== 'identity') return new RawGetUnsupported(`transfer-encoding ${te}`, head.status);
  const ce = head.headers.get('content-encoding');
  if (ce !== undefined && ce !== '' && ce.toLowerCase() !== 'identity') return new RawGetUnsupported(`content-encoding ${ce}`, head.status);
  const cl = head.headers.get('content-length');
  if (cl === undefined || !/^\d{1,15}$/.test(cl)) return new RawGetUnsupported(`content-length ${cl ?? 'missing'}`, head.status);
  return Number(cl);
}

export function rawGet(url: URL, sink: BodySink, o: RawGetOptions = {}): RawGet {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RawGetUnsupported(`protocol ${url.protocol}`);
  const what = o.what ?? url.pathname;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const readBuffer = o.readBuffer ?? Buffer.allocUnsafe(1024 * 1024);

  let head: Buffer | undefined = Buffer.alloc(0);
  let length = -1;
  let got = 0;
  let settled = false;
  let resolveDone!: (n: number) => void;
  let rejectDone!: (e: Error) => void;
  const done = new Promise<number>((res, rej) => {
    resolveDone = res;
    rejectDone = rej;
  });

  // The head allows the connection to stay open for another GET (HTTP/1.1 without "Connection: close").
  let reusable = false;
  const keep = o.keep;
  const finish = (e?: Error) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
    socket.removeListener('error', onError);
    socket.removeListener('close', onClose);
    socket.removeListener('timeout', onStall);
    socket.setTimeout(0);
    if (!e && reusable && keep && keep.socket === socket && held.length === 0) park(keep);
    else {
      socket.destroy();
      if (keep?.socket === socket) keep.drop();
    }
    if (e) rejectDone(e);
    else resolveDone(got);
  };
  /** Keeps the socket, idle, for the next GET of this slot. */
  const park = (k: KeptConnection) => {
    k.onRead = () => {
      // Nothing is asked: a byte now is the server's mistake, and the connection cannot be trusted.
      k.close();
      return false;
    };
    k.buffer = () => readBuffer;
    k.idle = () => {
      socket.destroy();
      k.drop();
    };
    socket.on('close', k.idle);
    socket.on('error', k.idle);
    socket.unref();
    // Read while idle (the last GET may have paused it), so a close from the server is seen now
    // and not by the next GET.
    socket.resume();
  };
  /** The connection failed, stalled or was cut: a network outcome of the one classifier. */
  const lost = (why: string, cause?: unknown) =>
    s3Error({ network: (cause as NodeJS.ErrnoException | undefined)?.code ?? 'cut', message: why }, what, {
      cause,
      words: {
        network: (w, a) => ({
          message: `download of ${w} ${a.message} after ${got} of ${length < 0 ? '?' : length} bytes`,
          hint: 'check the network and run the same pull again: finished files are kept',
        }),
      },
    });

  /** Hands body bytes to the sink (in place when they landed in its space); false pauses the socket. */
  // A paused TLS socket still delivers the rest of what it already decrypted (one network read
  // can hold several TLS records): those bytes wait here, copied, until the sink resumes.
  let paused = false;
  const held: Buffer[] = [];
  let heldBytes = 0;
  const body = (chunk: Buffer, inPlace: boolean): boolean => {
    if (chunk.length === 0) return true;
    if (got + chunk.length > length) {
      finish(lost(`received more than the announced length (${got + chunk.length} bytes)`));
      return false;
    }
    got += chunk.length;
    const more = inPlace && sink.commit ? sink.commit(chunk) : sink.push(chunk);
    paused = !more;
    if (got === length) {
      finish();
      return false;
    }
    return more;
  };

  /** An error answer being read, once its head said so. */
  let failing: ErrorAnswer | undefined;
  const rest = (end: number) => head!.subarray(end + 4);
  const refused = () => {
    const { status } = failing!;
    finish(s3Error({ status, ...parseS3ErrorBody(failing!.text()) }, what, { words: GET_WORDS }));
  };

  const onRead = (n: number, buf: Buffer): boolean => {
    if (settled) return false;
    if (failing) {
      if (failing.feed(buf.subarray(0, n))) refused();
      return !settled;
    }
    try {
      if (head === undefined) {
        if (!paused) return body(buf.subarray(0, n), buf === space);
        held.push(Buffer.from(buf.subarray(0, n)));
        heldBytes += n;
        return false;
      }
      // Still reading the status line and headers: keep a copy until the blank line.
      head = Buffer.concat([head, buf.subarray(0, n)]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > MAX_HEAD) finish(new RawGetUnsupported('response head larger than 64 KB'));
        return true;
      }
      const headText = head.subarray(0, end).toString('latin1');
      const parsed = parseResponseHead(headText);
      if (!parsed) {
        finish(new RawGetUnsupported('malformed response head'));
        return false;
      }
      if (parsed.status >= 400) {
        // An error answer: read its (small) body for S3's code, then the one classifier decides.
        failing = new ErrorAnswer(parsed.status, parsed.headers);
        const first = rest(end);
        head = undefined;
        if (failing.feed(first)) refused();
        return !settled;
      }
      const len = bodyLength(parsed, o.range);
      if (len instanceof RawGetUnsupported) {
        finish(len);
        return false;
      }
      length = len;
      reusable = headText.startsWith('HTTP/1.1 ') && (parsed.headers.get('connection') ?? '').toLowerCase() !== 'close';
      const after = rest(end);
      head = undefined;
      if (length === 0) {
        if (after.length > 0) finish(lost('received more than the announced length'));
        else finish();
        return false;
      }
      return body(after, false);
    } catch (e) {
      // A sink that throws stops the request with its error.
      finish(e as Error);
      return false;
    }
  };

  // Node asks for the buffer of each next read after every callback (and the callback gets the
  // buffer the bytes landed in): the sink's space once the head is read, else the reader's own.
  let space: Buffer | undefined;
  const nextBuffer = (): Buffer => {
    space = head === undefined && !settled && !failing ? sink.space?.() : undefined;
    if (space && space.length < 64 * 1024) space = undefined;
    return space ?? readBuffer;
  };
  const range = o.range ? `Range: bytes=${o.range.start}-${o.range.end}\r\n` : '';
  const request = `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n${range}Accept-Encoding: identity\r\nUser-Agent: recpipe\r\nConnection: ${keep ? 'keep-alive' : 'close'}\r\n\r\n`;
  const origin = `${url.protocol}//${host}:${port}`;
  let connected = false;
  let socket: Socket;
  const kept = keep?.socket;
  if (keep && kept && keep.origin === origin && !kept.destroyed && kept.readyState === 'open') {
    // The slot's connection from its last GET: no handshake.
    socket = kept;
    if (keep.idle) {
      socket.removeListener('close', keep.idle);
      socket.removeListener('error', keep.idle);
      keep.idle = undefined;
    }
    keep.onRead = onRead;
    keep.buffer = nextBuffer;
    keep.reused++;
    socket.ref();
    connected = true;
  } else {
    keep?.close();
    // With a KeptConnection the socket reads through whichever GET is current.
    const onread = keep ? { buffer: () => keep.buffer(), callback: (n: number, b: Buffer) => keep.onRead(n, b) } : { buffer: nextBuffer, callback: onRead };
    // tls takes `onread` too (Node >= 15), its types do not say so.
    const tlsOptions: ConnectionOptions & { onread: typeof onread } = {
      host,
      port,
      servername: isIP(host) ? undefined : host,
      ALPNProtocols: ['http/1.1'],
      onread,
      ...(o.ca ? { ca: o.ca } : {}),
    };
    socket = url.protocol === 'https:' ? tlsConnect(tlsOptions) : netConnect({ host, port, noDelay: true, onread });
    if (keep) {
      keep.socket = socket;
      keep.origin = origin;
      keep.onRead = onRead;
      keep.buffer = nextBuffer;
    }
    socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
      connected = true;
      if (!settled) socket.write(request);
    });
  }
  const idle = o.idleTimeoutMs ?? 120_000;
  const onStall = () => finish(lost(`stalled (no data for ${idle < 1000 ? `${idle} ms` : `${Math.round(idle / 1000)} s`})`));
  socket.setTimeout(idle, onStall);
  const deadline = o.deadlineMs ?? 30 * 60_000;
  const timer = setTimeout(
    () => finish(lost(`took longer than the ${deadline < 1000 ? `${deadline} ms` : `${Math.round(deadline / 1000)} s`} allowed`)),
    deadline,
  );
  timer.unref();
  const onError = (e: Error) => finish(lost(connected ? `failed (${e.message})` : `failed to connect (${e.message})`, e));
  const onClose = () => {
    // An error answer cut short, or ended by the close: classify what came.
    if (failing) return refused();
    // The last bytes may still be held for a paused sink: resume() delivers them and finishes.
    if (length >= 0 && heldBytes > 0 && got + heldBytes === length) return;
    finish(length >= 0 && got === length ? undefined : lost('was cut'));
  };
  socket.on('error', onError);
  socket.on('close', onClose);
  if (connected) {
    socket.write(request);
    socket.resume();
  }
  const onAbort = () => finish(new RecpipeError('interrupted', `download of ${what} interrupted`, { cause: o.signal?.reason }));
  if (o.signal?.aborted) onAbort();
  else o.signal?.addEventListener('abort', onAbort, { once: true });

  return {
    done,
    resume: () => {
      paused = false;
      try {
        while (held.length > 0 && !paused && !settled) {
          const c = held.shift()!;
          heldBytes -= c.length;
          body(c, false);
        }
      } catch (e) {
        finish(e as Error);
      }
      if (!settled && !paused) socket.resume();
    },
    cancel: (reason: Error) => finish(reason),
  };
}
