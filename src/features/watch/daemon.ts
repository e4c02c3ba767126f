/**
 * `recpipe watch ROOT`: turns a folder of session folders into uploaded sessions, with no human
 * in the loop. A periodic scan (filesystem events only wake it early) gates each folder on
 * quiet time, validates it, queues it, and uploads it with the resumable engine. Offline or
 * server errors back off and retry forever; invalid folders are reported once and left as
 * they are; a folder that changes during upload goes back to waiting.
 */
import { constants } from 'node:fs';
import { access, lstat, mkdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { RecpipeError } from '../../core/errors.js';
import type { Clock, IngestApi, Logger, Reporter } from '../../core/ports.js';
import type { JournalStore } from '../../adapters/fs/journal-store.js';
import { systemClock } from '../../adapters/system/clock.js';
import type { MetadataSchema } from '../../core/session/schema.js';
import type { UploadOptions } from '../ingest/upload-session.js';
import { acquireLock } from '../../adapters/fs/lock-file.js';
import { FolderWatchStore, watchDir, type WatchStore } from './state.js';
import { DiskFolderView, type FolderView } from './folders.js';
import { WatchLoop } from './watch-loop.js';

export interface WatchOptions {
  root: string;
  home: string;
  api: IngestApi;
  apiKey: string;
  journals: JournalStore;
  logger: Logger;
  reporter: Reporter;
  signal: AbortSignal;
  once: boolean;
  quietMs: number;
  markerFile?: string;
  /** The lab's metadata schema (`metadataSchema`): its warnings travel with the session, its blocking rules hold it back. */
  schema?: MetadataSchema;
  upload: UploadOptions;
  pollMs?: number;
  heartbeatMs?: number;
  /** Called with a wake-up function; returns a closer (the chokidar hint source). */
  hints?: (wake: () => void) => Promise<() => Promise<void>>;
  /** Time and timers (default: the wall clock). */
  clock?: Clock;
  /** State and event spool (default: under $RECPIPE_HOME/watch/<root id>/). */
  store?: WatchStore;
  /** The rig folder as polled (default: the disk under `root`). */
  folders?: FolderView;
  /** Called with the running loop once it exists (tests read its footprint). */
  onStart?: (loop: WatchLoop) => void;
}

export interface WatchSummary {
  root: string;
  uploaded: string[];
  invalid: string[];
  failed: string[];
  waiting: string[];
  /** Why each failed folder failed (and, for invalid ones, what is wrong). */
  reasons: Record<string, string>;
  /** Uploads a signal cut short, with the share sent; they resume on the next start. */
  interrupted: { name: string; progress: number }[];
}

/** Runs the daemon (or one pass with `once`) on `root` until `signal` aborts. */
export async function runWatch(o: WatchOptions): Promise<WatchSummary> {
  const root = resolve(o.root);
  const st = await lstat(root).catch(() => undefined);
  if (!st?.isDirectory()) throw new RecpipeError('usage', `${root} is not a folder`, { hint: 'pass the folder that holds the session folders' });
  // A daemon that cannot list the rig folder would only ever report errors: say so once, at start.
  await access(root, constants.R_OK | constants.X_OK).catch((e: NodeJS.ErrnoException) => {
    throw new RecpipeError('config', `${root} cannot be read by user ${userInfo().username} (${e.code ?? e.message})`, {
      hint: 'let that user read the recordings, e.g. add it to the group that owns them (SupplementaryGroups= in deploy/recpipe-watch.service)',
    });
  });
  const dir = watchDir(o.home, root);
  await mkdir(dir, { recursive: true });
  const lock = await acquireLock(join(dir, 'lock'), root);
  try {
    const store = o.store ?? new FolderWatchStore(dir, root, (e) => o.reporter.warn(`${e.message}: the folders are scanned again`));
    const state = await store.load();
    state.pid = process.pid;
    delete state.stoppedAt;
    const loop = new WatchLoop({ ...o, root, store, clock: o.clock ?? systemClock, folders: o.folders ?? new DiskFolderView(root) }, state);
    o.onStart?.(loop);
    await loop.run();
    const by = (s: string) =>
      Object.entries(state.sessions)
        .filter(([, v]) => v.state === s)
        .map(([k]) => k);
    const failed = by('failed');
    const invalid = by('invalid');
    const reasons = Object.fromEntries([...failed, ...invalid].map((n) => [n, state.sessions[n].reason ?? '']));
    return { root, uploaded: by('uploaded'), invalid, failed, waiting: [...by('waiting'), ...by('queued')], reasons, interrupted: loop.interrupted };
  } finally {
    await lock.release();
  }
}
