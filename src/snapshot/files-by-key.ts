/**
 * The files a `--sql` snapshot names by key, looked up with their session's revision and
 * variables (keys bound as parameters, in chunks).
 */
import type { Config } from '../config/schema.js';
import type { SnapshotFile } from '../core/snapshot/rows.js';
import { mapOf, withQueryEngine } from '../query/session-view.js';

const CHUNK = 200;

export async function filesByKey(config: Config, keys: string[]): Promise<SnapshotFile[]> {
  return withQueryEngine(config, async (engine) => {
    const out: SnapshotFile[] = [];
    for (let i = 0; i < keys.length; i += CHUNK) {
      const part = keys.slice(i, i + CHUNK);
      const rows = await engine.query(
        `SELECT s.session_id, s.revision, s.num_vars, s.text_vars, f.pipeline, f.pipeline_version, f.key, f.file, f.bytes, f.sha256\n` +
          `FROM ${engine.tables.sessions} s JOIN ${engine.tables.files} f ON f.session_id = s.session_id\n` +
          `WHERE f.key IN (${part.map(() => '?').join(', ')})`,
        part,
      );
      for (const r of rows)
        out.push({
          session_id: String(r.session_id),
          revision: r.revision === null || r.revision === undefined ? null : Number(r.revision),
          pipeline: String(r.pipeline),
          pipeline_version: String(r.pipeline_version),
          key: String(r.key),
          file: String(r.file),
          bytes: Number(r.bytes),
          sha256: String(r.sha256),
          variables: { ...mapOf(r.text_vars), ...mapOf(r.num_vars) },
        });
    }
    return out;
  });
}
