/** The upload engine's inputs and result (upload-session.ts), apart so its pieces share them without a cycle. */
import type { Manifest } from '../../core/session/manifest-types.js';
import type { Journal } from '../../core/ingest/journal-types.js';
import type { Clock, IngestApi, Logger, Reporter } from '../../core/ports.js';
import type { SessionFile, ValidatedSession } from '../../core/session/validation-types.js';
import type { JournalStore } from '../../adapters/fs/journal-store.js';
import type { BufferPool } from './buffer-pool.js';
import type { HashWorker } from './hash-worker.js';
import type { PartSizer } from './part-sizer.js';
import type { PutTransport } from './put-transport.js';
import type { Retry } from './send-file.js';
import type { Throttle } from './throttle.js';
import type { TokenSource } from './token-source.js';
import type { Window } from './window.js';

export interface UploadDeps {
  api: IngestApi;
  apiKey: string;
  journals: JournalStore;
  transport: PutTransport;
  reporter: Reporter;
  logger: Logger;
  signal?: AbortSignal;
  /** Shared across sessions so one daemon authenticates once. */
  tokens?: TokenSource;
  /** Recorded in the manifest: which IngestApi carried the upload (default 'api'). */
  clientTransport?: 'api' | 'direct';
  /** URL expiry and durations (the system clock by default). */
  clock?: Clock;
}

export interface UploadOptions {
  /** The part size files start with (and the smallest). */
  partSize: number;
  /** The largest part size a file may be given when the link is not the limit (part-sizer.ts); unset: partSize. */
  largePartSize?: number;
  multipartThreshold: number;
  /** At most this many PUTs in flight (the memory budget may allow fewer). */
  concurrency: number;
  /** Bytes the part buffers may take, shared by all files (default: concurrency parts). */
  memoryBudget?: number;
  /** --bwlimit: bytes sent are taken from this bucket. */
  throttle?: Throttle;
  retries?: number;
}

export interface UploadResult {
  sessionId: string;
  dir: string;
  /** `revised`: the session was committed before; what the rig wrote since is archived as `revision`. */
  status: 'uploaded' | 'already_uploaded' | 'revised';
  /** The session's newest revision after this upload (1 = the first commit). */
  revision?: number;
  /**
   * For `revised`: archived files whose bytes this revision changes (or `metadata variables`).
   * Such a revision is held for a person's review (core/session/served-revision.ts).
   */
  changesArchived?: string[];
  files: number;
  totalBytes: number;
  bytesSent: number;
  durationMs: number;
  manifestSha256: string;
  /** Calls to the API's URL-signing batch route (for benchmarks and logs). */
  batchCalls?: number;
}

/** What the phases of one session's upload share (upload-session.ts builds it). */
export interface UploadContext {
  session: ValidatedSession;
  deps: UploadDeps;
  options: UploadOptions;
  sessionId: string;
  journal: Journal;
  tokens: TokenSource;
  retry: Retry;
  log: Logger;
  clock: Clock;
  startedMs: number;
  hasher: HashWorker;
  pool: BufferPool;
  window: Window;
  sizer: PartSizer;
  /** Bytes the part buffers hold at most (the parts one window keeps in flight). */
  blockBytes: number;
  sentBefore: number;
  sha256Of: (f: SessionFile) => Promise<string>;
  /** The same SHA-256 as soon as the reading pass has it, before the journal records it (for a URL). */
  hashedSha256: (f: SessionFile) => Promise<string>;
  manifestNow: () => Promise<Manifest>;
}
