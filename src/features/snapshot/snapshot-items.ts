/**
 * `recpipe pull --snapshot NAME`: exactly the snapshot's files, whatever arrived or was
 * processed since. A file whose bytes processing has replaced at its key is read from where
 * processing kept them (`processed/_kept/<sha256>`, src/features/process/keep-pinned.ts); every file is
 * still checked against the snapshot's SHA-256 as it lands.
 */
import { keptOutputKey } from '../../core/layout.js';
import { mapLimit } from '../../core/map-limit.js';
import type { ObjectStore } from '../../core/ports.js';
import type { SnapshotRow } from '../../core/snapshot/rows.js';
import type { PullItem } from '../pull/plan.js';

/** The snapshot's rows as pull items, each reading from its key or from the kept copy. */
export async function snapshotItems(lake: Pick<ObjectStore, 'head'>, rows: SnapshotRow[]): Promise<PullItem[]> {
  const kept = new Map<string, boolean>();
  await mapLimit([...new Set(rows.map((r) => r.sha256))], 16, async (sha) => kept.set(sha, (await lake.head(keptOutputKey(sha))) !== undefined));
  return rows.map((r) => ({
    session_id: r.session_id,
    pipeline: r.pipeline,
    pipeline_version: r.pipeline_version,
    key: r.key,
    file: r.file,
    bytes: r.bytes,
    sha256: r.sha256,
    revision: r.revision,
    variables: { ...r.text_vars, ...r.num_vars },
    ...(kept.get(r.sha256) ? { source: keptOutputKey(r.sha256) } : {}),
  }));
}
