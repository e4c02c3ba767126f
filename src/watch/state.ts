/**
 * The daemon's durable state under $RECPIPE_HOME/watch/<root id>/: what it knows of each
 * session folder (for `recpipe status --root`), its heartbeat, and the spool of client events
 * waiting to reach the cloud log.
 */
import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ClientEvent } from '../core/api.js';
import { writeFileAtomic } from '../adapters/fs/atomic-write.js';

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

export async function loadState(dir: string, root: string): Promise<WatchState> {
  try {
    return JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as WatchState;
  } catch {
    return { root: resolve(root), sessions: {} };
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
  ) {
    this.spool = new EventSpool(dir);
  }

  load(): Promise<WatchState> {
    return loadState(this.dir, this.root);
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

/** Client events are appended to a spool first, then shipped; a failed shipment keeps them. */
export class EventSpool {
  constructor(private readonly dir: string) {}

  async add(e: ClientEvent): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await appendFile(join(this.dir, 'events.jsonl'), JSON.stringify(e) + '\n');
  }

  async flush(send: (events: ClientEvent[]) => Promise<void>): Promise<number> {
    const path = join(this.dir, 'events.jsonl');
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      return 0;
    }
    const events = text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as ClientEvent);
    if (events.length === 0) return 0;
    const sending = `${path}.sending`;
    await rename(path, sending);
    try {
      for (let i = 0; i < events.length; i += 100) await send(events.slice(i, i + 100));
    } catch (e) {
      // Put them back in front of anything logged meanwhile.
      const later = await readFile(path, 'utf8').catch(() => '');
      await writeFile(path, text + later);
      throw e;
    }
    await writeFile(sending, '');
    return events.length;
  }
}
