/**
 * Snapshots in the lake: `catalog/snapshots/<name>.json`, one JSON line per file, created with
 * If-None-Match so a name is written once and never replaced (core/layout.ts).
 */
import { RecpipeError, isRecpipeError } from '../../core/errors.js';
import { snapshotKey, snapshotOfKey, SNAPSHOTS_PREFIX } from '../../core/layout.js';
import type { ObjectStore } from '../../core/ports.js';
import { SNAPSHOT_ROW, type SnapshotRow } from '../../core/snapshot/rows.js';
import { didYouMean } from '../../core/suggest.js';

/** A snapshot's rows, or undefined when no snapshot has that name; a damaged one is an integrity error naming its key, line and field. */
export async function readSnapshot(lake: ObjectStore, name: string): Promise<SnapshotRow[] | undefined> {
  let body: Buffer;
  try {
    body = await lake.get(snapshotKey(name));
  } catch (e) {
    if (isRecpipeError(e) && e.code === 'not_found') return undefined;
    throw e;
  }
  return SNAPSHOT_ROW.parseLines(body, snapshotKey(name));
}

/** The names of every snapshot, sorted. */
export async function snapshotNames(lake: ObjectStore): Promise<string[]> {
  return (await lake.list(SNAPSHOTS_PREFIX))
    .map((o) => snapshotOfKey(o.key))
    .filter((n): n is string => n !== undefined)
    .sort();
}

/** A snapshot's rows; not_found (exit 1) naming the closest names when there is none. */
export async function requireSnapshot(lake: ObjectStore, name: string): Promise<SnapshotRow[]> {
  const rows = await readSnapshot(lake, name);
  if (rows) return rows;
  const guess = didYouMean(name, await snapshotNames(lake));
  throw new RecpipeError('not_found', `no snapshot named "${name}"${guess ? `; ${guess}` : ''}`, { hint: '`recpipe snapshot list` shows the snapshots' });
}

/** Writes a new snapshot; false when the name was taken meanwhile (nothing was written then). */
export async function putSnapshot(lake: ObjectStore, rows: SnapshotRow[]): Promise<boolean> {
  try {
    await lake.put(snapshotKey(rows[0].snapshot), rows.map((r) => JSON.stringify(r)).join('\n') + '\n', {
      ifNoneMatch: true,
      contentType: 'application/x-ndjson',
    });
    return true;
  } catch (e) {
    if (isRecpipeError(e) && e.code === 'conflict') return false;
    throw e;
  }
}
