/**
 * Capabilities the core needs from the outside world. Adapters live in src/adapters and
 * src/local; the core imports no SDK, no fs, no logger library.
 */
import type { Readable } from 'node:stream';
import type {
  AuthResponse,
  CommitResponse,
  CompleteMultipartRequest,
  CompleteMultipartResponse,
  ClientEvent,
  Manifest,
  PresignPartRequest,
  PresignPutRequest,
  PresignedRequest,
  SessionState,
  StartMultipartRequest,
  StartMultipartResponse,
} from './index-types.js';
import type { UploadBatchRequest, UploadBatchResponse } from './api-batch.js';
import type { EventFieldsArg, EventLevel, EventName } from './events.js';

/** Metadata of a stored object. */
export interface ObjectInfo {
  key: string;
  size: number;
  etag?: string;
  lastModified?: Date;
  /** Checksums S3 stored with the object, when asked for and present (base64). */
  checksums?: { sha256?: string; crc32c?: string };
}

export interface PutOptions {
  /** Refuse to overwrite: fail with `conflict` when the key exists (S3 `If-None-Match: *`). */
  ifNoneMatch?: boolean;
  /** Only overwrite this exact version (S3 `If-Match: <etag>`); `conflict` otherwise. */
  ifMatch?: string;
  contentType?: string;
}

/** Options of a streamed put (`ObjectStore.putStream`). */
export interface StreamPutOptions {
  contentType?: string;
  /** Expected total size, when known: picks a part size that keeps under S3's 10,000 parts. */
  sizeHint?: number;
  /** Bytes per part (at least S3's 5 MiB minimum, except in the in-memory fake); 8 MiB by default. */
  partSizeBytes?: number;
  /**
   * Runs after the last byte is sent and before the object becomes visible; throwing aborts
   * the upload, so nothing appears at the key (used to re-check a processing lease).
   */
  beforeComplete?: () => Promise<void>;
}

/** What a streamed put stored: size and the SHA-256 (hex) of the whole body, computed while sending. */
export interface StreamPutResult extends ObjectInfo {
  sha256: string;
}

/**
 * An object store bucket. Contract at the edges:
 * - `head` returns undefined for a missing key, never throws not_found;
 * - `get` throws RecpipeError('not_found') for a missing key;
 * - `put` with `ifNoneMatch` throws RecpipeError('conflict') when the key exists;
 * - `list` returns every key under the prefix (all pages), sorted by key;
 * - errors worth retrying are RecpipeError('unavailable', { retryable: true }).
 */
export interface ObjectStore {
  readonly bucket: string;
  head(key: string): Promise<ObjectInfo | undefined>;
  get(key: string): Promise<Buffer>;
  getStream(key: string, range?: { start: number; end: number }): Promise<Readable>;
  put(key: string, body: Buffer | string, options?: PutOptions): Promise<ObjectInfo>;
  list(prefix: string): Promise<ObjectInfo[]>;
  /**
   * Stores a body of any size from a stream in bounded memory (at most one part buffered):
   * multipart with a SHA-256 checksum per part, or one checksummed PUT when it fits one part.
   * The object is visible only once complete; on failure the upload is aborted.
   */
  putStream(key: string, body: AsyncIterable<Uint8Array>, options?: StreamPutOptions): Promise<StreamPutResult>;
  /** Multipart uploads begun under `prefix` and neither completed nor aborted. */
  listUploads(prefix: string): Promise<OpenUpload[]>;
  /**
   * A URL that GETs `key` without further credentials for `expiresInSec` (HTTP stores only;
   * an in-memory store has none, and readers then use `getStream`).
   */
  presignGet?(key: string, expiresInSec: number): Promise<string>;
}

/** A profile's two buckets: raw recordings (write-once) and the lake (catalog, outputs, ledger). */
export interface Stores {
  raw: ObjectStore;
  lake: ObjectStore;
}

export interface OpenUpload {
  key: string;
  uploadId: string;
  initiated: Date;
}

/** Client side of the ingestion API (see core/api.ts). Every method may throw RecpipeError. */
export interface IngestApi {
  authenticate(apiKey: string): Promise<AuthResponse>;
  sessionState(token: string, session: string): Promise<SessionState>;
  presignPut(token: string, req: PresignPutRequest): Promise<PresignedRequest>;
  startMultipart(token: string, req: StartMultipartRequest): Promise<StartMultipartResponse>;
  presignPart(token: string, req: PresignPartRequest): Promise<PresignedRequest>;
  completeMultipart(token: string, req: CompleteMultipartRequest): Promise<CompleteMultipartResponse>;
  /** Many URLs of one session at once (core/api-batch.ts). */
  signBatch(token: string, req: UploadBatchRequest): Promise<UploadBatchResponse>;
  commit(token: string, manifest: Manifest): Promise<CommitResponse>;
  sendEvents(token: string, events: ClientEvent[]): Promise<void>;
}

export interface Clock {
  now(): Date;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Structured logger: `event` is a name declared in the registry (core/events.ts), logged at one of
 * its declared levels with its declared fields; fields never hold secrets.
 */
export interface Logger {
  log<N extends EventName>(level: EventLevel<N>, event: N, ...fields: EventFieldsArg<N>): void;
  child(fields: Record<string, unknown>): Logger;
}

/**
 * The one channel for user-facing output. Human renderers show spinners or lines; the JSON
 * reporter stays silent until the command's result is printed.
 */
export interface Reporter {
  /** A step starts (spinner on a TTY, a line otherwise). */
  step(message: string): void;
  /** Progress of the current step, 0..1, with an optional label. */
  progress(fraction: number, label?: string): void;
  info(message: string): void;
  warn(message: string): void;
  /** The current step ended well / badly. */
  succeed(message?: string): void;
  fail(message?: string): void;
}

/** A reporter that says nothing (--json, callers that render the result themselves, tests). */
export const silentReporter: Reporter = {
  step: () => undefined,
  progress: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  succeed: () => undefined,
  fail: () => undefined,
};
