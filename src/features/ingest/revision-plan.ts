/**
 * Preparing a revision upload: the rig copy of a committed session holds new or changed files.
 * Each of them is sent to an upload attempt key of its own, never to a key a committed manifest
 * pins (those objects are write-once and stay as they are).
 */
import { randomBytes } from 'node:crypto';
import type { Journal } from '../../core/ingest/journal-types.js';
import type { Manifest } from '../../core/session/manifest-types.js';
import { revisionChanges } from '../../core/session/revisions.js';

export interface RevisionPlan {
  /** Names of the files to send (new or changed since the newest revision). */
  changes: string[];
}

/** Picks the files to send and gives each an attempt key not pinned by `newest`. */
export function planRevision(newest: Manifest, local: Manifest, journal: Journal): RevisionPlan {
  const changes = revisionChanges(newest, local);
  const pins = new Map(newest.files.map((f) => [f.name, f.attempt]));
  for (const name of changes) {
    const entry = journal.files[name];
    // An entry that already has an attempt of its own is a revision upload under way: resume it.
    if (entry.attempt !== undefined && !(pins.has(name) && pins.get(name) === entry.attempt)) continue;
    entry.attempt = randomBytes(6).toString('hex');
    entry.uploadId = undefined;
    entry.doneParts = [];
    entry.done = false;
    entry.sent = false;
  }
  return { changes };
}
