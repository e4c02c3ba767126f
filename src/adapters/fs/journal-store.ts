/**
 * Journals on disk: $RECPIPE_HOME/journal/<rig>/<session>.json, written to a temp file, fsynced
 * and renamed, so a crash leaves either the old or the new journal, never half of one. Saves
 * are serialised and coalesced per journal.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JOURNAL, JOURNAL_VERSION, emptyJournal, type Journal } from '../../core/ingest/journal-types.js';
import type { Logger } from '../../core/ports.js';
import { writeFileAtomic } from './atomic-write.js';

export class JournalStore {
  private slots = new Map<string, Slot>();

  constructor(
    private readonly home: string,
    private readonly logger?: Logger,
  ) {}

  path(rig: string, session: string): string {
    return join(this.home, 'journal', rig, `${session}.json`);
  }

  /** The lock file one upload of this session holds while it runs. */
  lockPath(rig: string, session: string): string {
    return join(this.home, 'journal', rig, `${session}.lock`);
  }

  async load(rig: string, session: string, dir: string): Promise<Journal> {
    const path = this.path(rig, session);
    try {
      const j = JOURNAL.parse(await readFile(path), path);
      if (j.version === JOURNAL_VERSION && j.rig === rig && j.session === session && j.files) {
        // A folder elsewhere with the same session name is another copy or another recording:
        // nothing hashed or sent for the old one may be trusted for it.
        if (j.dir === dir) return j;
        this.logger?.log('warn', 'journal.ignored', { path, reason: `made for ${j.dir}, not ${dir}` });
      } else this.logger?.log('warn', 'journal.ignored', { path, reason: 'other version or session' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.logger?.log('warn', 'journal.unreadable', { path, error: (e as Error).message });
    }
    return emptyJournal(rig, session, dir);
  }

  /**
   * Writes the journal's current state. Saves are serialised per journal and coalesced: while
   * one write (with its fsync) runs, later saves merge into a single next write of the newest
   * state, and each caller's promise settles once a write holding its state is on disk.
   */
  save(j: Journal): Promise<void> {
    const path = this.path(j.rig, j.session);
    const text = JSON.stringify(j);
    let slot = this.slots.get(path);
    if (!slot) this.slots.set(path, (slot = {}));
    const s = slot;
    return new Promise<void>((resolve, reject) => {
      if (s.next) {
        s.next.text = text;
        s.next.waiters.push({ resolve, reject });
      } else s.next = { text, waiters: [{ resolve, reject }] };
      if (!s.writing) this.pump(path, s);
    });
  }

  private pump(path: string, s: Slot): void {
    const batch = s.next;
    s.next = undefined;
    if (!batch) {
      s.writing = false;
      this.slots.delete(path);
      return;
    }
    s.writing = true;
    writeAtomic(path, batch.text)
      .then(
        () => batch.waiters.forEach((w) => w.resolve()),
        (e: Error) => batch.waiters.forEach((w) => w.reject(e)),
      )
      .finally(() => this.pump(path, s));
  }
}

interface Slot {
  writing?: boolean;
  next?: { text: string; waiters: { resolve: () => void; reject: (e: Error) => void }[] };
}

async function writeAtomic(path: string, text: string): Promise<void> {
  await writeFileAtomic(path, text, { mode: 0o600 });
}
