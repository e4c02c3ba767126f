/** Catalog rows built from a manifest, deterministic so re-writing them changes nothing. */
import type { ProcessedFileRow, SessionRow } from '../catalog/types.js';
import { revisionOf, type Manifest } from '../session/manifest-types.js';

export function sessionRow(m: Manifest, manifestSha256: string, uploadedAt: string): SessionRow {
  return {
    session_id: m.sessionId,
    rig: m.rig,
    session: m.session,
    recorded_at: m.recordedAt.replace('T', ' '),
    uploaded_at: uploadedAt,
    file_count: m.fileCount,
    total_bytes: m.totalBytes,
    raw_prefix: `raw/${m.sessionId}/`,
    manifest_sha256: manifestSha256,
    metadata_file: m.metadataFile,
    num_vars: m.variables.numeric,
    text_vars: m.variables.text,
    registered_at: uploadedAt,
    warning_count: m.warnings?.length ?? 0,
    warnings: m.warnings ?? [],
    revision: revisionOf(m),
  };
}

export function ndjson(rows: object[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '');
}

export function fileRow(
  m: Manifest,
  pipeline: string,
  version: string,
  key: string,
  file: string,
  bytes: number,
  sha256: string,
  createdAt: string,
): ProcessedFileRow {
  return { session_id: m.sessionId, pipeline, pipeline_version: version, key, file, bytes, sha256, created_at: createdAt };
}
