/**
 * A snapshot: the exact list of processed files a query gave at one moment, under a name, so a
 * training run can say what it used and pull the same bytes again later. One JSON line per file
 * (the `snapshots` table); written once, never changed. Pure.
 */

import { fieldsOf, int, mapOf, nullable, num, str } from '../shape.js';
import { storedRecord } from '../stored-record.js';

/** A file as a snapshot names it: the output index row, and the session revision it was made from. */
interface FileFields {
  session_id: string;
  /** The session revision whose outputs these are (null when the catalog row predates revisions). */
  revision: number | null;
  pipeline: string;
  pipeline_version: string;
  key: string;
  file: string;
  bytes: number;
  sha256: string;
}

/** One file of a snapshot, as stored and as the `snapshots` table reads it. */
export interface SnapshotRow extends FileFields {
  snapshot: string;
  created_at: string;
  /** What chose the files: the filters or the SQL, as given. */
  query: string;
  /** The session's variables, as the catalog gave them when the snapshot was taken. */
  num_vars: Record<string, number>;
  text_vars: Record<string, string>;
}

/** A snapshot's stored lines (`catalog/snapshots/<name>.json`); written once, so a damaged one is an integrity error. */
export const SNAPSHOT_ROW = storedRecord<SnapshotRow>({
  what: 'snapshot',
  hint: 'restore the object from its previous version, or take a new snapshot under another name (`recpipe snapshot create`)',
  shape: fieldsOf<SnapshotRow>()({
    snapshot: str,
    created_at: str,
    query: str,
    num_vars: mapOf(num),
    text_vars: mapOf(str),
    session_id: str,
    revision: nullable(int),
    pipeline: str,
    pipeline_version: str,
    key: str,
    file: str,
    bytes: int,
    sha256: str,
  }),
});

/** A file chosen for a snapshot, with its session's variables. */
export interface SnapshotFile extends FileFields {
  variables: Record<string, string | number>;
}

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** The rows of a new snapshot, one per file, ordered by key (a file listed twice counts once). */
export function snapshotRows(name: string, createdAt: string, query: string, files: SnapshotFile[]): SnapshotRow[] {
  const seen = new Map<string, SnapshotFile>();
  for (const f of files) seen.set(f.key, f);
  return [...seen.values()].sort(byKey).map((f) => {
    const num_vars: Record<string, number> = {};
    const text_vars: Record<string, string> = {};
    for (const [k, v] of Object.entries(f.variables)) {
      if (typeof v === 'number') num_vars[k] = v;
      else text_vars[k] = v;
    }
    return {
      snapshot: name,
      created_at: createdAt,
      query,
      session_id: f.session_id,
      revision: f.revision,
      pipeline: f.pipeline,
      pipeline_version: f.pipeline_version,
      key: f.key,
      file: f.file,
      bytes: f.bytes,
      sha256: f.sha256,
      num_vars,
      text_vars,
    };
  });
}

/** How two snapshots' files differ, by key. */
export interface SnapshotDiff {
  /** Keys only in the first. */
  removed: string[];
  /** Keys only in the second. */
  added: string[];
  /** Keys in both with other bytes (another revision or reprocessing). */
  changed: string[];
  /** Keys in both with the same bytes. */
  same: number;
}

type Fileish = Pick<SnapshotRow, 'key' | 'sha256' | 'bytes'>;

export function diffSnapshots(a: Fileish[], b: Fileish[]): SnapshotDiff {
  const left = new Map(a.map((r) => [r.key, r]));
  const right = new Map(b.map((r) => [r.key, r]));
  const d: SnapshotDiff = { removed: [], added: [], changed: [], same: 0 };
  for (const [k, r] of left) {
    const o = right.get(k);
    if (!o) d.removed.push(k);
    else if (o.sha256 !== r.sha256 || o.bytes !== r.bytes) d.changed.push(k);
    else d.same++;
  }
  for (const k of right.keys()) if (!left.has(k)) d.added.push(k);
  d.removed.sort();
  d.added.sort();
  d.changed.sort();
  return d;
}

/** Whether two lists name exactly the same files with the same bytes. */
export function sameFiles(a: Fileish[], b: Fileish[]): boolean {
  const d = diffSnapshots(a, b);
  return d.added.length === 0 && d.removed.length === 0 && d.changed.length === 0;
}

/** One line per snapshot for `snapshot list`: name, when, what chose it, how many sessions, files and bytes. */
export interface SnapshotSummary {
  name: string;
  created_at: string;
  query: string;
  sessions: number;
  files: number;
  bytes: number;
}

export function summarize(rows: SnapshotRow[]): SnapshotSummary {
  return {
    name: rows[0]?.snapshot ?? '',
    created_at: rows[0]?.created_at ?? '',
    query: rows[0]?.query ?? '',
    sessions: new Set(rows.map((r) => r.session_id)).size,
    files: rows.length,
    bytes: rows.reduce((n, r) => n + r.bytes, 0),
  };
}

/** The snapshot's rows grouped by the session x pipeline version they belong to (one pin each). */
export function pinGroups(rows: SnapshotRow[]): { session_id: string; pipeline: string; pipeline_version: string; files: { key: string; sha256: string }[] }[] {
  const groups = new Map<string, { session_id: string; pipeline: string; pipeline_version: string; files: { key: string; sha256: string }[] }>();
  for (const r of rows) {
    const id = `${r.session_id}\u0000${r.pipeline}\u0000${r.pipeline_version}`;
    const g = groups.get(id) ?? { session_id: r.session_id, pipeline: r.pipeline, pipeline_version: r.pipeline_version, files: [] };
    g.files.push({ key: r.key, sha256: r.sha256 });
    groups.set(id, g);
  }
  return [...groups.values()];
}
