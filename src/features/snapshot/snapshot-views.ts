/** What `recpipe snapshot list / show / diff` read: snapshots from the lake, summarised or compared. */
import { assertSnapshotName } from '../../core/layout.js';
import { mapLimit } from '../../core/map-limit.js';
import type { ObjectStore } from '../../core/ports.js';
import { diffSnapshots, summarize, type SnapshotDiff, type SnapshotRow, type SnapshotSummary } from '../../core/snapshot/rows.js';
import { readSnapshot, requireSnapshot, snapshotNames } from './snapshot-store.js';

/** Every snapshot in the lake, newest first. */
export async function listSnapshots(lake: ObjectStore): Promise<SnapshotSummary[]> {
  const out: SnapshotSummary[] = [];
  await mapLimit(await snapshotNames(lake), 8, async (name) => {
    const rows = await readSnapshot(lake, name);
    if (rows && rows.length > 0) out.push(summarize(rows));
  });
  return out.sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : a.name < b.name ? -1 : 1));
}

/** One snapshot's files (not_found naming the closest names when there is none). */
export async function showSnapshot(lake: ObjectStore, name: string): Promise<SnapshotRow[]> {
  return requireSnapshot(lake, assertSnapshotName(name));
}

/** How snapshot `b` differs from `a`, by key. */
export async function compareSnapshots(lake: ObjectStore, a: string, b: string): Promise<SnapshotDiff & { a: SnapshotSummary; b: SnapshotSummary }> {
  const left = await requireSnapshot(lake, assertSnapshotName(a));
  const right = await requireSnapshot(lake, assertSnapshotName(b));
  return { a: summarize(left), b: summarize(right), ...diffSnapshots(left, right) };
}
