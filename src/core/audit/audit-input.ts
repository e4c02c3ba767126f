/** What each layer holds, as the audit's pure reconcile step takes it (gathered by src/features/audit). */
import type { LedgerEntry, ProcessedFileRow, SessionRow } from '../catalog/types.js';
import type { Manifest, ManifestFile } from '../session/manifest-types.js';
import type { RevisionState } from '../session/served-revision.js';
import type { SnapshotFileRef } from './check-snapshots.js';

export interface LocalSession {
  sessionId: string;
  /** Files as on the rig, name -> size (and sha256 when the audit hashed them). */
  files: { name: string; size: number; sha256?: string }[];
  /** ms since epoch of the newest file change: young sessions are in flight. */
  changedAt: number;
}

/** A committed session as the audit sees it. */
export interface CommittedSession {
  /** The served revision's manifest: the catalog row and outputs must follow it. */
  manifest: Manifest;
  /** When the served revision was committed (or accepted), ms since epoch: young ones are in flight. */
  committedAt: number;
  /** The newest revision's number, when the session has more than one. */
  revision?: number;
  /** The keys of all its revision manifests (known objects, not orphans). */
  revisionKeys?: string[];
  /** SHA-256 of the served manifest's bytes (the catalog row records it). */
  sha256?: string;
  /** The newest revision's manifest, when it is not the served one: what the rig copy is compared with. */
  newest?: Manifest;
  /** Every file any revision pins (raw objects that must hold those bytes); the served files when absent. */
  pinned?: ManifestFile[];
  /** Every revision's status, when the session has more than one. */
  revisions?: RevisionState;
}

export interface AuditInput {
  now: number;
  graceMs: number;
  pipeline: string;
  pipelineVersion: string;
  local?: LocalSession[];
  manifests: Map<string, CommittedSession>;
  /** Raw objects by key with size and time. */
  rawObjects: Map<string, { size: number; lastModified: number }>;
  /** Raw keys whose content was re-hashed (the scrub): key -> sha256 hex. */
  rawHashes: Map<string, string>;
  catalogRows: Map<string, SessionRow>;
  fileRows: ProcessedFileRow[];
  outputs: Map<string, { size: number }>;
  outputHashes: Map<string, string>;
  ledger: Map<string, LedgerEntry>;
  staleUploads: { key: string; uploadId: string; initiated: number }[];
  /** Objects the scrub did not re-hash within its period (the budget is too small for the store). */
  scrubOverdue?: { key: string; size: number; sessionId?: string }[];
  /** Every file every snapshot names (check-snapshots.ts); absent: snapshots are not checked. */
  snapshotFiles?: SnapshotFileRef[];
  /** Catalog objects (rows, ledger entries) that could not be read: cut short or with a mistyped field. */
  damaged?: { key: string; sessionId?: string; problem: string }[];
  rawPrefixOf(sessionId: string): string;
}
