/** What `recpipe snapshot list / show / diff` read: snapshots from the lake, summarised or compared. */
import type { Config } from '../config/schema.js';
import { assertSnapshotName } from '../core/layout.js';
import { mapLimit } from '../core/map-limit.js';
import { diffSnapshots, summarize, type SnapshotDiff, type SnapshotRow, type SnapshotSummary } from '../core/snapshot/rows.js';
import { withStores } from '../process/redrive.js';
import { readSnapshot, requireSnapshot, snapshotNames } from './snapshot-store.js';

/** Every snapshot, newest first. */
export async function listSnapshots(config: Config): Promise<SnapshotSummary[]> {
  return withStores(config, async (_raw, lake) => {
    const out: SnapshotSummary[] = [];
    await mapLimit(await snapshotNames(lake), 8, async (name) => {
      const rows = await readSnapshot(lake, name);
      if (rows && rows.length > 0) out.push(summarize(rows));
    });
    return out.sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : a.name < b.name ? -1 : 1));
  });
}

/** One snapshot's files (not_found naming the closest names when there is none). */
export async function showSnapshot(config: Config, name: string): Promise<SnapshotRow[]> {
  return withStores(config, (_raw, lake) => requireSnapshot(lake, assertSnapshotName(name)));
}

/** How snapshot `b` differs from `a`, by key. */
export async function compareSnapshots(config: Config, a: string, b: string): Promise<SnapshotDiff & { a: SnapshotSummary; b: SnapshotSummary }> {
  return withStores(config, async (_raw, lake) => {
    const left = await requireSnapshot(lake, assertSnapshotName(a));
    const right = await requireSnapshot(lake, assertSnapshotName(b));
    return { a: summarize(left), b: summarize(right), ...diffSnapshots(left, right) };
  });
}
