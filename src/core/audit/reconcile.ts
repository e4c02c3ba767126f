/**
 * The audit's pure core: given what each layer holds, list every disagreement. No I/O: the
 * gathering (listing stores, reading manifests, the scrub's re-hashing, the rig's files) happens
 * in src/features/audit. The rig and raw checks are in check-rig.ts and check-raw.ts.
 */
import { isFinished } from '../catalog/ledger-state.js';
import type { AuditInput } from './audit-input.js';
import { checkRaw } from './check-raw.js';
import { checkRig } from './check-rig.js';
import { checkSnapshots } from './check-snapshots.js';
import type { AuditWarning, Finding } from './findings.js';

export type { AuditInput, CommittedSession, LocalSession } from './audit-input.js';

/** A session with content archived after its first commit, its newest revision, and the served and held ones. */
export interface Revised {
  sessionId: string;
  revision: number;
  served?: number;
  held?: number[];
}

export function reconcile(input: AuditInput): { findings: Finding[]; inFlight: string[]; revised: Revised[]; warnings: AuditWarning[] } {
  const inFlight = new Set<string>();
  const young = (t: number) => input.now - t < input.graceMs;
  const revised = [...input.manifests]
    .filter(([, m]) => (m.revision ?? 1) > 1)
    .map(([sessionId, m]) => ({ sessionId, revision: m.revision!, ...(m.revisions ? { served: m.revisions.served, held: m.revisions.held } : {}) }));
  const findings = [
    ...checkRig(input, young, inFlight),
    ...checkRaw(input, young, inFlight),
    ...checkCatalog(input, young, inFlight),
    ...checkProcessing(input, young, inFlight),
    ...checkOutputs(input),
    ...checkRevisions(input),
    ...checkSnapshots(input),
    ...(input.scrubOverdue ?? []).map((o): Finding => ({
      category: 'scrub_overdue',
      ...(o.sessionId ? { sessionId: o.sessionId } : {}),
      key: o.key,
      message: `not re-hashed within the scrub period (${o.size} bytes): the per-run budget is too small for the store`,
    })),
    ...(input.damaged ?? []).map((d): Finding => ({
      category: 'damaged_record',
      ...(d.sessionId ? { sessionId: d.sessionId } : {}),
      key: d.key,
      message: d.problem,
    })),
  ];
  return { findings, inFlight: [...inFlight], revised, warnings: contentWarnings(input) };
}

/** Catalog rows against the served revisions: missing, stale, or without a committed session. */
function checkCatalog(input: AuditInput, young: (t: number) => boolean, inFlight: Set<string>): Finding[] {
  const findings: Finding[] = [];
  for (const [id, { manifest, committedAt, sha256 }] of input.manifests) {
    const row = input.catalogRows.get(id);
    const ledger = input.ledger.get(id);
    if (!row) {
      if (ledger?.state === 'incomplete') continue;
      if (young(committedAt)) inFlight.add(id);
      else findings.push({ category: 'not_registered', sessionId: id, message: 'committed but has no catalog row', repair: 'reregister' });
    } else if (row.file_count !== manifest.fileCount || row.total_bytes !== manifest.totalBytes || (sha256 !== undefined && row.manifest_sha256 !== sha256)) {
      // A revision just committed or accepted is registered when it is processed.
      if (young(committedAt)) inFlight.add(id);
      else
        findings.push({
          category: 'catalog_row_differs',
          sessionId: id,
          message: `catalog says ${row.file_count} files/${row.total_bytes} bytes (manifest ${row.manifest_sha256?.slice(0, 12) ?? 'none'}), served manifest ${manifest.fileCount}/${manifest.totalBytes} (${sha256?.slice(0, 12) ?? '?'})`,
          repair: 'reregister',
        });
    }
  }
  for (const id of input.catalogRows.keys())
    if (!input.manifests.has(id)) findings.push({ category: 'orphan_catalog_row', sessionId: id, message: 'catalog row without a committed session' });
  return findings;
}

/** The ledger: dead, incomplete, stuck, not processed, or finished with data files not decoded. */
function checkProcessing(input: AuditInput, young: (t: number) => boolean, inFlight: Set<string>): Finding[] {
  const findings: Finding[] = [];
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
    else if (l?.state === 'running' && l.lease_expires_at && Date.parse(l.lease_expires_at) < input.now)
      findings.push({
        category: 'stuck_running',
        sessionId: id,
        message: `running since ${l.started_at ?? '?'}, lease expired ${l.lease_expires_at}`,
        repair: 'reprocess',
      });
    else if (!isFinished(l?.state) || !indexed.has(id)) {
      if (young(Math.max(committedAt, l ? Date.parse(l.updated_at) : 0))) inFlight.add(id);
      else
        findings.push({
          category: 'not_processed',
          sessionId: id,
          message: `no outputs for ${input.pipeline} v${input.pipelineVersion} (ledger: ${l?.state ?? 'none'})`,
          repair: 'reprocess',
        });
    }
    if (l?.state === 'done_with_gaps')
      findings.push({
        category: 'not_decoded',
        sessionId: id,
        message: `processing finished but did not decode ${(l.undecoded ?? []).join(', ')}: ${reasonOf(l, l.undecoded?.[0])}`,
      });
  }
  return findings;
}

const reasonOf = (l: { dropped?: { file: string; reason: string }[] }, file: string | undefined) =>
  l.dropped?.find((d) => d.file === file)?.reason ?? 'no reason recorded';

/** Outputs the index lists: present, the listed size, and (when re-hashed) the listed bytes. */
function checkOutputs(input: AuditInput): Finding[] {
  const findings: Finding[] = [];
  for (const r of input.fileRows) {
    const o = input.outputs.get(r.key);
    const hash = input.outputHashes.get(r.key);
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
    else if (hash !== undefined && hash !== r.sha256)
      findings.push({
        category: 'output_differs',
        sessionId: r.session_id,
        key: r.key,
        message: `SHA-256 ${hash} in the lake, ${r.sha256} in the index`,
        repair: 'reprocess',
      });
  }
  return findings;
}

/** Held revisions: archived bytes that changed, waiting for a person. */
function checkRevisions(input: AuditInput): Finding[] {
  const findings: Finding[] = [];
  for (const [id, { revisions }] of input.manifests) {
    for (const v of revisions?.revisions ?? []) {
      if (v.status !== 'held') continue;
      const what = v.changed.map((c) => `${c.name} (SHA-256 ${c.before.sha256} -> ${c.after.sha256})`);
      if (v.variablesChanged && what.length === 0) what.push('the metadata variables');
      findings.push({
        category: 'revision_held',
        sessionId: id,
        message: `revision ${v.revision} changes archived bytes of ${what.join(', ')}: held for review, revision ${revisions!.served} is served`,
      });
    }
  }
  return findings;
}

/** The content problems sessions were archived with, and what processing left out: warnings, not findings. */
function contentWarnings(input: AuditInput): AuditWarning[] {
  const out: AuditWarning[] = [];
  for (const [id, { manifest }] of input.manifests) {
    const l = input.ledger.get(id);
    const undecoded = new Set(l?.undecoded ?? []);
    for (const w of manifest.warnings ?? []) out.push({ sessionId: id, message: `${w.code}${w.file ? ` ${w.file}` : ''}: ${w.message}` });
    // Whole files left out are a finding (not_decoded), not a warning.
    for (const d of l?.dropped ?? [])
      if (!undecoded.has(d.file)) out.push({ sessionId: id, message: `processing left out ${d.bytes} bytes of ${d.file}: ${d.reason}` });
  }
  return out;
}
