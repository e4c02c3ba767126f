/**
 * One GET of an object (or of one byte range of it) into an open file at the matching offset:
 * through the raw GET reader when a presigned URL can be had, reading straight into the write
 * buffers, else through the SDK's body stream. Optionally hashes every byte on the way, and can
 * stop part-way at a point decided while the body arrives (fetch-ranged.ts's leading GET).
 */
import type { Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { isRecpipeError, RecpipeError } from '../../core/errors.js';
import type { Logger } from '../../core/ports.js';
import { s3OutcomeOf } from '../../core/s3-outcome.js';
import { rawGet, RawGetUnsupported, type BodySink } from '../../adapters/http/raw-get.js';
import { BatchWriter } from './batch-writer.js';
import type { PullSource } from './lake-source.js';
import type { PullItem } from './plan.js';
import type { Slot } from './slots.js';

/** Files at least this large are fetched with the raw GET reader (ranges always are). */
export const RAW_GET_MIN_BYTES = 8 * 1024 * 1024;

export interface FetchDeps {
  lake: PullSource;
  logger: Logger;
  signal?: AbortSignal;
  /** Smallest whole file fetched with the raw GET reader (injectable for tests). */
  rawGetMinBytes?: number;
}

/** Inclusive byte range. */
export interface ByteRange {
  start: number;
  end: number;
}

/** Options of one GET. */
export interface BodyOptions {
  /** Hashes every byte taken, in order. */
  hash?: Hash;
  /** Bytes (from the range's start) to take before `claim` is asked for more (default: all). */
  limit?: number;
  /**
   * Asked when the body reaches `limit`: a larger number to take more, the same to stop there
   * (the connection is dropped, the bytes before it are kept).
   */
  claim?: (reached: number) => number;
  /** Told the count of bytes (from the range's start) written to the file, after each write. */
  onLanded?: (bytes: number) => void;
}

/** Ends a GET that stopped where its claim said (not an error). */
class Stopped extends Error {}

/**
 * Fetches `range` of `f` (the whole object if absent) into `fh` at its offset; resolves with
 * the number of bytes written. A range answered short fails retryably.
 */
export async function fetchBody(f: PullItem, range: ByteRange | undefined, fh: FileHandle, deps: FetchDeps, slot: Slot, o: BodyOptions = {}): Promise<number> {
  const base = range?.start ?? 0;
  const writer = new BatchWriter((b, n, at) => fh.write(b, 0, n, base + at).then((r) => r.bytesWritten), slot.write);
  if (o.onLanded) writer.onLanded = o.onLanded;
  let limit = o.limit ?? Infinity;
  let stopped = false;
  let halt = () => undefined as void;
  /** How many of `n` more bytes to take: all of them, or those before the point where the GET stops. */
  const take = (n: number): number => {
    while (writer.bytes + n > limit) {
      const next = o.claim ? o.claim(limit) : limit;
      if (next > limit) {
        limit = next;
        continue;
      }
      stopped = true;
      return limit - writer.bytes;
    }
    return n;
  };
  const accepted = (more: boolean) => {
    if (!stopped) return more;
    halt();
    return false;
  };
  const sink: BodySink = {
    push: (chunk) => {
      const part = chunk.subarray(0, take(chunk.length));
      o.hash?.update(part);
      return accepted(writer.push(part));
    },
    space: () => (stopped ? undefined : writer.space()),
    commit: (chunk) => {
      const part = chunk.subarray(0, take(chunk.length));
      o.hash?.update(part);
      return accepted(writer.commit(part.length));
    },
  };
  let size: number;
  try {
    const raw = deps.lake.presignGet && (range !== undefined || f.bytes >= (deps.rawGetMinBytes ?? RAW_GET_MIN_BYTES));
    const direct = raw ? await deps.lake.presignGet!(f.source ?? f.key, 3600) : undefined;
    const onHalt = (fn: () => void) => (halt = fn);
    if (!direct || !(await viaRawGet(direct, f, range, sink, writer, slot, deps, onHalt))) await viaStream(f, range, sink, writer, deps, onHalt, () => stopped);
    size = await writer.finish();
  } catch (e) {
    // The bytes that came before a lost connection are kept (a retry or a resume starts after
    // the last whole range written); after any other failure, nothing more is written. Either
    // way no write is left running behind the error.
    if (isRecpipeError(e) && e.retryable) await writer.finish().catch(() => writer.settle());
    else await writer.settle();
    throw e;
  }
  const expected = stopped ? limit : range ? range.end - range.start + 1 : size;
  if (size !== expected) {
    throw new RecpipeError('unavailable', `${f.key}: bytes ${base}-${base + expected - 1} came back as ${size} bytes`, { retryable: true });
  }
  return size;
}

/** The fast path; false when the store's answer needs the SDK (nothing was taken then). */
async function viaRawGet(
  url: string,
  f: PullItem,
  range: ByteRange | undefined,
  sink: BodySink,
  writer: BatchWriter,
  slot: Slot,
  deps: FetchDeps,
  onHalt: (fn: () => void) => void,
): Promise<boolean> {
  try {
    const get = rawGet(new URL(url), sink, { signal: deps.signal, readBuffer: slot.read, what: f.key, range, keep: slot.conn });
    writer.onDrain = () => get.resume();
    writer.onError = (e) => get.cancel(e);
    onHalt(() => get.cancel(new Stopped()));
    await get.done;
    return true;
  } catch (e) {
    if (e instanceof Stopped) return true;
    if ((e instanceof RawGetUnsupported || refusedUrl(e)) && writer.bytes === 0) {
      deps.logger.log('debug', 'pull.raw_get_fallback', { key: f.key, reason: (e as Error).message });
      return false;
    }
    throw e;
  }
}

/**
 * The store refused the presigned GET itself (a 4xx, or the URL expired): the SDK, which signs
 * each request with its own credentials, asks again. Throttling and server errors are retried.
 */
function refusedUrl(e: unknown): boolean {
  const kind = s3OutcomeOf(e);
  return kind !== undefined && (kind === 'expired' || !(e as RecpipeError).retryable);
}

/** Any store: the SDK's body stream, paused while both write buffers are busy. */
async function viaStream(
  f: PullItem,
  range: ByteRange | undefined,
  sink: BodySink,
  writer: BatchWriter,
  deps: FetchDeps,
  onHalt: (fn: () => void) => void,
  stopped: () => boolean,
): Promise<void> {
  const src = await abortable(deps.lake.getStream(f.source ?? f.key, range), deps.signal);
  onHalt(() => undefined);
  // The SDK's request does not listen to the pull's signal: an interruption ends the body here.
  const onAbort = () => src.destroy(deps.signal?.reason instanceof Error ? deps.signal.reason : new Error('interrupted'));
  deps.signal?.addEventListener('abort', onAbort, { once: true });
  let wake: (() => void) | undefined;
  writer.onDrain = () => wake?.();
  writer.onError = (e) => {
    src.destroy(e);
    wake?.();
  };
  try {
    for await (const chunk of src as AsyncIterable<Buffer>) {
      if (!sink.push(chunk)) {
        if (stopped()) break;
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
        writer.throwIfFailed();
        deps.signal?.throwIfAborted();
      }
    }
  } catch (e) {
    src.destroy();
    throw e;
  } finally {
    deps.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Waits for a stream unless `signal` fires first (then rejects with its reason, and a stream that
 * arrives later is destroyed): an interrupted pull does not wait for an answer that is slow to come.
 */
async function abortable(p: Promise<Readable>, signal: AbortSignal | undefined): Promise<Readable> {
  if (!signal) return p;
  signal.throwIfAborted();
  let onAbort = () => undefined as void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error('interrupted'));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([p, aborted]);
  } catch (e) {
    p.then((s) => s.destroy()).catch(() => undefined);
    throw e;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
