/**
 * One GET of an object (or of one byte range of it) into an open file at the matching offset:
 * through the raw GET reader when a presigned URL can be had, reading straight into the write
 * buffers, else through the SDK's body stream. Optionally hashes every byte on the way.
 */
import type { Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { RecpipeError } from '../core/errors.js';
import type { Logger } from '../core/ports.js';
import { rawGet, RawGetUnsupported, type BodySink } from '../adapters/http/raw-get.js';
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

/**
 * Fetches `range` of `f` (the whole object if absent) into `fh` at its offset; resolves with
 * the number of bytes written. A range answered short fails retryably.
 */
export async function fetchBody(f: PullItem, range: ByteRange | undefined, fh: FileHandle, deps: FetchDeps, slot: Slot, hash?: Hash): Promise<number> {
  const base = range?.start ?? 0;
  const writer = new BatchWriter((b, n, at) => fh.write(b, 0, n, base + at).then((r) => r.bytesWritten), slot.write);
  const sink: BodySink = {
    push: (chunk) => {
      hash?.update(chunk);
      return writer.push(chunk);
    },
    space: () => writer.space(),
    commit: (chunk) => {
      hash?.update(chunk);
      return writer.commit(chunk.length);
    },
  };
  let size: number;
  try {
    const raw = deps.lake.presignGet && (range !== undefined || f.bytes >= (deps.rawGetMinBytes ?? RAW_GET_MIN_BYTES));
    const direct = raw ? await deps.lake.presignGet!(f.key, 3600) : undefined;
    if (!direct || !(await viaRawGet(direct, f, range, sink, writer, slot, deps))) await viaStream(f, range, sink, writer, deps);
    size = await writer.finish();
  } catch (e) {
    // Never leave a write running behind an error.
    await writer.settle();
    throw e;
  }
  if (range && size !== range.end - range.start + 1) {
    throw new RecpipeError('unavailable', `${f.key}: bytes ${range.start}-${range.end} came back as ${size} bytes`, { retryable: true });
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
): Promise<boolean> {
  try {
    const get = rawGet(new URL(url), sink, { signal: deps.signal, readBuffer: slot.read, what: f.key, range });
    writer.onDrain = () => get.resume();
    writer.onError = (e) => get.cancel(e);
    await get.done;
    return true;
  } catch (e) {
    if (e instanceof RawGetUnsupported && writer.bytes === 0) {
      deps.logger.log('debug', 'pull.raw_get_fallback', { key: f.key, reason: e.message });
      return false;
    }
    throw e;
  }
}

/** Any store: the SDK's body stream, paused while both write buffers are busy. */
async function viaStream(f: PullItem, range: ByteRange | undefined, sink: BodySink, writer: BatchWriter, deps: FetchDeps): Promise<void> {
  const src = await deps.lake.getStream(f.key, range);
  let wake: (() => void) | undefined;
  writer.onDrain = () => wake?.();
  writer.onError = (e) => {
    src.destroy(e);
    wake?.();
  };
  try {
    for await (const chunk of src as AsyncIterable<Buffer>) {
      if (!sink.push(chunk)) {
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
        writer.throwIfFailed();
        deps.signal?.throwIfAborted();
      }
    }
  } catch (e) {
    src.destroy();
    throw e;
  }
}
