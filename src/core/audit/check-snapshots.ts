/**
 * Snapshots against the lake: every file a snapshot names must still be there with the bytes it
 * pinned, at its key (the output index lists that SHA-256 and the object has its size) or as
 * the copy processing kept when it replaced them (`processed/_kept/<sha256>`). This is presence
 * and pinning; the scrub (scrub-plan.ts) re-hashes indexed outputs' bytes. A file neither place
 * holds is a file `recpipe pull --snapshot` can no longer give. Pure.
 */
import { keptOutputKey } from '../layout.js';
import type { AuditInput } from './audit-input.js';
import type { Finding } from './findings.js';

/** One file of one snapshot, as the audit reads it (core/snapshot/rows.ts). */
export interface SnapshotFileRef {
  snapshot: string;
  session_id: string;
  key: string;
  sha256: string;
  bytes: number;
}

export function checkSnapshots(input: Pick<AuditInput, 'snapshotFiles' | 'outputs' | 'fileRows' | 'outputHashes'>): Finding[] {
  const indexed = new Map(input.fileRows.map((r) => [r.key, r.sha256]));
  const findings: Finding[] = [];
  for (const f of input.snapshotFiles ?? []) {
    const kept = input.outputs.get(keptOutputKey(f.sha256));
    if (kept?.size === f.bytes) continue;
    const at = input.outputs.get(f.key);
    const hashed = input.outputHashes.get(f.key);
    if (at?.size === f.bytes && indexed.get(f.key) === f.sha256 && (hashed === undefined || hashed === f.sha256)) continue;
    const now = !at
      ? 'absent from the lake'
      : indexed.get(f.key) !== f.sha256
        ? `now indexed with SHA-256 ${indexed.get(f.key)?.slice(0, 12) ?? 'none'}... (processed again since)`
        : at.size !== f.bytes
          ? `${at.size} bytes in the lake`
          : `re-hashed to ${hashed!.slice(0, 12)}...`;
    findings.push({
      category: 'snapshot_file_missing',
      sessionId: f.session_id,
      key: f.key,
      message: `snapshot "${f.snapshot}" names it with SHA-256 ${f.sha256.slice(0, 12)}... (${f.bytes} bytes): at its key it is ${now}, and no copy was kept at ${keptOutputKey(f.sha256)}`,
    });
  }
  return findings;
}
