/**
 * The daemon's durable state under $RECPIPE_HOME/watch/<root id>/: what it knows of each
 * session folder (for `recpipe status --root`), its heartbeat, and the spool of client events
 * waiting to reach the cloud log.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ClientEvent } from '../../core/api.js';
import { isRecpipeError, type RecpipeError } from '../../core/errors.js';
import { fieldsOf, int, mapOf, num, oneOf, opt, str } from '../../core/shape.js';
import { storedRecord } from '../../core/stored-record.js';
import { writeFileAtomic } from '../../adapters/fs/atomic-write.js';
import { EventSpool } from './event-spool.js';

export type SessionState = 'waiting' | 'invalid' | 'queued' | 'uploading' | 'uploaded' | 'failed';

export interface SessionStatus {
  state: SessionState;
  reason?: string;
  fingerprint?: string;
  progress?: number;
  attempts?: number;
  updatedAt: string;
}

export interface WatchState {
  root: string;
  /** The running daemon's pid; removed when it stops cleanly. */
  pid?: number;
  /** When the daemon last stopped cleanly (a signal, or the end of `--once`). */
  stoppedAt?: string;
  heartbeatAt?: string;
  sessions: Record<string, SessionStatus>;
}

export function watchDir(home: string, root: string): string {
  return join(home, 'watch', createHash('sha256').update(resolve(root)).digest('hex').slice(0, 16));
}

/** The daemon's `state.json`; a damaged copy only loses the status view (the folders are scanned again). */
export const WATCH_STATE = storedRecord<WatchState>({
  what: 'watch state file',
  hint: 'nothing to do: the watcher scans the folders again and rewrites it; remove the file to silence this',
  shape: fieldsOf<WatchState>()({
    root: str,
    pid: opt(int),
    stoppedAt: opt(str),
    heartbeatAt: opt(str),
    sessions: mapOf(
      fieldsOf<SessionStatus>()({
        state: oneOf('waiting', 'invalid', 'queued', 'uploading', 'uploaded', 'failed'),
        reason: opt(str),
        fingerprint: opt(str),
        progress: opt(num),
        attempts: opt(int),
        updatedAt: str,
      }),
    ),
  }),
});

/**
 * The daemon's state. A missing file is a fresh state; a damaged one (cut short, a field of the
 * wrong type) is handed to `damaged` (the daemon warns, naming the file and field) and read as
 * fresh too: the watcher only loses its memory of the folders and scans them again, never blocks.
 */
export async function loadState(dir: string, root: string, damaged?: (e: RecpipeError) => void): Promise<WatchState> {
  const path = join(dir, 'state.json');
  const fresh = (): WatchState => ({ root: resolve(root), sessions: {} });
  let text: Buffer;
  try {
    text = await readFile(path);
  } catch {
    return fresh();
  }
  try {
    return WATCH_STATE.parse(text, path);
  } catch (e) {
    if (!isRecpipeError(e)) throw e;
    damaged?.(e);
    return fresh();
  }
}

export async function saveState(dir: string, state: WatchState): Promise<void> {
  await writeFileAtomic(join(dir, 'state.json'), JSON.stringify(state, null, 1));
}

/**
 * Where the daemon keeps its state and spools its events. The folder-backed store is the real
 * one; tests drive months of polling against an in-memory one.
 */
export interface WatchStore {
  load(): Promise<WatchState>;
  save(state: WatchState): Promise<void>;
  addEvent(e: ClientEvent): Promise<void>;
  /** Sends the spooled events; a failed send keeps them for the next call. */
  flushEvents(send: (events: ClientEvent[]) => Promise<void>): Promise<number>;
}

/** The store under $RECPIPE_HOME/watch/<root id>/ (`state.json`, `events.jsonl`). */
export class FolderWatchStore implements WatchStore {
  private readonly spool: EventSpool;

  constructor(
    private readonly dir: string,
    private readonly root: string,
    /** Told when `state.json` is damaged (it is then read as fresh). */
    private readonly damaged?: (e: RecpipeError) => void,
  ) {
    this.spool = new EventSpool(dir);
  }

  load(): Promise<WatchState> {
    return loadState(this.dir, this.root, this.damaged);
  }

  save(state: WatchState): Promise<void> {
    return saveState(this.dir, state);
  }

  addEvent(e: ClientEvent): Promise<void> {
    return this.spool.add(e);
  }

  flushEvents(send: (events: ClientEvent[]) => Promise<void>): Promise<number> {
    return this.spool.flush(send);
  }
}
