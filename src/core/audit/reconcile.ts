/**
 * The audit's pure core: given what each layer holds, list every disagreement. No I/O: the
 * gathering (listing stores, reading manifests, hashing samples) happens in src/audit.
 */
import type { LedgerEntry, ProcessedFileRow, SessionRow } from '../catalog/types.js';
import type { Manifest } from '../session/manifest-types.js';
import type { AuditWarning, Finding } from './findings.js';
import { rawKeySessionId, rawObjectName, rawObjectPath } from '../layout.js';

export interface LocalSession {
  sessionId: string;
  /** Files as on the rig, name -> size (and sha256 when the audit hashed them). */
  files: { name: string; size: number; sha256?: string }[];
  /** ms since epoch of the newest file change: young sessions are in flight. */
  changedAt: number;
}

export interface AuditInput {
  now: number;
  graceMs: number;
  /** Lease slack: a running entry whose lease expired more than this ago is stuck. */
  pipeline: string;
  pipelineVersion: string;
  local?: LocalSession[];
  /**
   * Each committed session's newest revision (its manifest, when it was committed) and, when
   * revised, the keys of all its revision manifests.
   */
  manifests: Map<string, { manifest: Manifest; committedAt: number; revision?: number; revisionKeys?: string[]; sha256?: string }>;
  /** Raw objects by key with size and time. */
  rawObjects: Map<string, { size: number; lastModified: number }>;
  /** Raw keys whose content was re-hashed (deep sample): key -> sha256 hex. */
  rawHashes: Map<string, string>;
  catalogRows: Map<string, SessionRow>;
  fileRows: ProcessedFileRow[];
  outputs: Map<string, { size: number }>;
  outputHashes: Map<string, string>;
  ledger: Map<string, LedgerEntry>;
  staleUploads: { key: string; uploadId: string; initiated: number }[];
  rawPrefixOf(sessionId: string): string;
}

/** A session with content archived after its first commit, and its newest revision. */
export interface Revised {
  sessionId: string;
  revision: number;
}

export function reconcile(input: AuditInput): { findings: Finding[]; inFlight: string[]; revised: Revised[]; warnings: AuditWarning[] } {
  const findings: Finding[] = [];
  const inFlight = new Set<string>();
  const young = (t: number) => input.now - t < input.graceMs;
  const revised = [...input.manifests].filter(([, m]) => (m.revision ?? 1) > 1).map(([sessionId, m]) => ({ sessionId, revision: m.revision! }));

  for (const s of input.local ?? []) {
    const m = input.manifests.get(s.sessionId);
    if (!m) {
      if (young(s.changedAt)) inFlight.add(s.sessionId);
      else
        findings.push({ category: 'local_not_uploaded', sessionId: s.sessionId, message: 'on the rig but not committed in the raw store', repair: 'reupload' });
      continue;
    }
    // Compared with the newest revision: content archived as a revision is no difference. Files
    // gone from the rig are not either (every revision keeps what was archived); new or changed
    // files are, until `upload` (or `watch`) archives them as the next revision.
    const remote = new Map(m.manifest.files.map((f) => [f.name, f]));
    const diffs = s.files.filter((f) => !remote.has(f.name) || remote.get(f.name)!.size !== f.size || (f.sha256 && remote.get(f.name)!.sha256 !== f.sha256));
    if (diffs.length > 0) {
      if (young(s.changedAt)) inFlight.add(s.sessionId);
      else
        findings.push({
          category: 'local_differs',
          sessionId: s.sessionId,
          message: `rig copy holds content not archived yet (the next revision): ${diffs.map((f) => f.name).join(', ')}`,
          repair: 'reupload',
        });
    }
  }

  const manifestKeys = new Set<string>();
  for (const [id, { manifest, revisionKeys }] of input.manifests) {
    const prefix = input.rawPrefixOf(id);
    // The integrity flag: processing hashed every byte and found these files differ from the manifest.
    const flagged = integrityFlags(input.ledger.get(id));
    manifestKeys.add(prefix + '_manifest.json');
    for (const k of revisionKeys ?? []) manifestKeys.add(k);
    for (const f of manifest.files) {
      const key = prefix + rawObjectPath(f);
      manifestKeys.add(key);
      const obj = input.rawObjects.get(key);
      if (!obj) findings.push({ category: 'raw_missing', sessionId: id, key, message: `listed in the manifest but absent from the raw store` });
      else if (obj.size !== f.size)
        findings.push({ category: 'raw_size_mismatch', sessionId: id, key, message: `size ${obj.size} in the store, ${f.size} in the manifest` });
      else if (input.rawHashes.has(key) && input.rawHashes.get(key) !== f.sha256) {
        findings.push({
          category: 'raw_checksum_mismatch',
          sessionId: id,
          key,
          message: `SHA-256 ${input.rawHashes.get(key)} in the store, ${f.sha256} in the manifest`,
        });
      } else if (!input.rawHashes.has(key) && flagged.get(key)?.manifest_sha256 === f.sha256) {
        findings.push({
          category: 'raw_checksum_mismatch',
          sessionId: id,
          key,
          message: `SHA-256 ${flagged.get(key)!.stored_sha256} in the store, ${f.sha256} in the manifest (found by processing; nothing of the session was registered)`,
        });
      }
    }
  }
  const orphanSessions = new Map<string, { keys: string[]; newest: number }>();
  for (const [key, obj] of input.rawObjects) {
    if (manifestKeys.has(key)) continue;
    const sid = rawKeySessionId(key);
    const committed = input.manifests.get(sid);
    if (committed) {
      const late = storedAfterCommit(input, sid, key, obj.lastModified, committed.committedAt);
      if (late?.inFlight) inFlight.add(sid);
      else if (late) findings.push({ category: 'orphan_raw_object', sessionId: sid, key, message: late.message });
      if (late) continue;
    }
    // A committed file's earlier bytes, superseded by a re-send before the commit or by a later
    // revision: kept on purpose (raw bytes are never deleted), not a gap.
    const listed = committed?.manifest.files;
    const stored = listed && rawObjectName(key.slice(input.rawPrefixOf(sid).length));
    if (stored && listed.some((f) => f.name === stored.name)) continue;
    const o = orphanSessions.get(sid) ?? { keys: [], newest: 0 };
    o.keys.push(key);
    o.newest = Math.max(o.newest, obj.lastModified);
    orphanSessions.set(sid, o);
  }
  for (const [sid, o] of orphanSessions) {
    if (young(o.newest) && !input.manifests.has(sid)) inFlight.add(sid);
    else
      for (const key of o.keys)
        findings.push({
          category: 'orphan_raw_object',
          sessionId: sid,
          key,
          message: input.manifests.has(sid) ? 'not listed in its session manifest' : 'belongs to no committed session (abandoned upload?)',
        });
  }
  for (const u of input.staleUploads) {
    if (!young(u.initiated))
      findings.push({
        category: 'stale_upload',
        key: u.key,
        message: `multipart upload ${u.uploadId} started ${new Date(u.initiated).toISOString()} never completed`,
      });
  }

  for (const [id, { manifest, committedAt, sha256 }] of input.manifests) {
    const row = input.catalogRows.get(id);
    const ledger = input.ledger.get(id);
    if (!row) {
      if (ledger?.state === 'incomplete') continue;
      if (young(committedAt)) inFlight.add(id);
      else findings.push({ category: 'not_registered', sessionId: id, message: 'committed but has no catalog row', repair: 'reregister' });
    } else if (row.file_count !== manifest.fileCount || row.total_bytes !== manifest.totalBytes || (sha256 !== undefined && row.manifest_sha256 !== sha256)) {
      // A revision just committed is registered when it is processed.
      if (young(committedAt)) inFlight.add(id);
      else
        findings.push({
          category: 'catalog_row_differs',
          sessionId: id,
          message: `catalog says ${row.file_count} files/${row.total_bytes} bytes (manifest ${row.manifest_sha256.slice(0, 12)}), newest manifest ${manifest.fileCount}/${manifest.totalBytes} (${sha256?.slice(0, 12) ?? '?'})`,
          repair: 'reregister',
        });
    }
  }
  for (const id of input.catalogRows.keys()) {
    if (!input.manifests.has(id)) findings.push({ category: 'orphan_catalog_row', sessionId: id, message: 'catalog row without a committed session' });
  }

  const indexed = new Set(input.fileRows.filter((r) => r.pipeline === input.pipeline && r.pipeline_version === input.pipelineVersion).map((r) => r.session_id));
  for (const [id, { committedAt }] of input.manifests) {
    const l = input.ledger.get(id);
    if (l?.state === 'dead')
      findings.push({
        category: 'dead_letter',
        sessionId: id,
        message: `dead letter after ${l.attempts} attempts: ${l.last_error ?? 'no error recorded'}`,
        repair: 'reprocess',
      });
    else if (l?.state === 'incomplete')
      findings.push({ category: 'incomplete', sessionId: id, message: `raw data does not match the manifest: ${l.last_error ?? ''}`.trim() });
    else if (l?.state === 'running' && l.lease_expires_at && Date.parse(l.lease_expires_at) < input.now) {
      findings.push({
        category: 'stuck_running',
        sessionId: id,
        message: `running since ${l.started_at ?? '?'}, lease expired ${l.lease_expires_at}`,
        repair: 'reprocess',
      });
    } else if (l?.state !== 'done' || !indexed.has(id)) {
      if (young(Math.max(committedAt, l ? Date.parse(l.updated_at) : 0))) inFlight.add(id);
      else
        findings.push({
          category: 'not_processed',
          sessionId: id,
          message: `no outputs for ${input.pipeline} v${input.pipelineVersion} (ledger: ${l?.state ?? 'none'})`,
          repair: 'reprocess',
        });
    }
  }
  for (const r of input.fileRows) {
    const o = input.outputs.get(r.key);
    if (!o)
      findings.push({
        category: 'output_missing',
        sessionId: r.session_id,
        key: r.key,
        message: 'in the output index but absent from the lake',
        repair: 'reprocess',
      });
    else if (o.size !== r.bytes)
      findings.push({
        category: 'output_differs',
        sessionId: r.session_id,
        key: r.key,
        message: `size ${o.size} in the lake, ${r.bytes} in the index`,
        repair: 'reprocess',
      });
    else if (input.outputHashes.has(r.key) && input.outputHashes.get(r.key) !== r.sha256) {
      findings.push({ category: 'output_differs', sessionId: r.session_id, key: r.key, message: `SHA-256 differs from the index`, repair: 'reprocess' });
    }
  }
  return { findings, inFlight: [...inFlight], revised, warnings: contentWarnings(input) };
}

/** The content problems sessions were archived with, and what processing left out: warnings, not findings. */
function contentWarnings(input: AuditInput): AuditWarning[] {
  const out: AuditWarning[] = [];
  for (const [id, { manifest }] of input.manifests) {
    for (const w of manifest.warnings ?? []) out.push({ sessionId: id, message: `${w.code}${w.file ? ` ${w.file}` : ''}: ${w.message}` });
    for (const d of input.ledger.get(id)?.dropped ?? []) out.push({ sessionId: id, message: `processing left out ${d.bytes} bytes of ${d.file}: ${d.reason}` });
  }
  return out;
}

/** The files a session's ledger entry flags as hashing differently from its manifest, by key. */
function integrityFlags(entry: LedgerEntry | undefined): Map<string, NonNullable<LedgerEntry['integrity']>[number]> {
  return new Map(entry?.state === 'incomplete' ? (entry.integrity ?? []).map((i) => [i.key, i]) : []);
}

/**
 * An object no manifest lists, stored after its session's newest commit: a later revision's bytes
 * on their way (attempt keys, while young: in flight), or something no manifest will ever list: an
 * abandoned revision upload, or bytes sent with a URL signed before the commit (issue 26).
 * Undefined for an object stored before the commit. Multipart objects carry the time their upload
 * started, so only the completion checks catch those.
 */
function storedAfterCommit(
  input: AuditInput,
  sid: string,
  key: string,
  storedAt: number,
  committedAt: number,
): { inFlight: true } | { inFlight: false; message: string } | undefined {
  if (storedAt <= committedAt) return undefined;
  const attempt = rawObjectName(key.slice(input.rawPrefixOf(sid).length))?.attempt !== undefined;
  if (attempt && input.now - storedAt < input.graceMs) return { inFlight: true };
  const at = new Date(storedAt).toISOString();
  const message = attempt
    ? `stored ${at}, after the session's newest commit, and listed by no manifest (an abandoned revision upload, or a URL signed before the commit)`
    : `stored ${at}, after the session was committed, and listed by no manifest (a URL signed before the commit); it is never catalogued or processed`;
  return { inFlight: false, message };
}
