/**
 * The files a `--sql` snapshot names by key, looked up with their session's revision and
 * variables in one query: the user's read-only SELECT (checked by core/query/read-only.ts)
 * becomes the subquery of an IN, so no key is spliced into the text and Athena runs one query.
 */
import type { OpenEngine } from '../query/open-engine.js';
import type { SnapshotFile } from '../../core/snapshot/rows.js';
import { mapOf, withQueryEngine } from '../query/session-view.js';

/** The indexed files whose key the read-only `sql` returns in its `key` column. */
export async function filesByKey(openEngine: OpenEngine, sql: string): Promise<SnapshotFile[]> {
  return withQueryEngine(openEngine, async (engine) => {
    const rows = await engine.query(
      `SELECT s.session_id, s.revision, s.num_vars, s.text_vars, f.pipeline, f.pipeline_version, f.key, f.file, f.bytes, f.sha256\n` +
        `FROM ${engine.tables.sessions} s JOIN ${engine.tables.files} f ON f.session_id = s.session_id\n` +
        `WHERE f.key IN (SELECT q.key FROM (\n${sql}\n) q)`,
    );
    return rows.map((r) => ({
      session_id: String(r.session_id),
      revision: r.revision === null || r.revision === undefined ? null : Number(r.revision),
      pipeline: String(r.pipeline),
      pipeline_version: String(r.pipeline_version),
      key: String(r.key),
      file: String(r.file),
      bytes: Number(r.bytes),
      sha256: String(r.sha256),
      variables: { ...mapOf(r.text_vars), ...mapOf(r.num_vars) },
    }));
  });
}
