/**
 * What the session validator returns. One validator serves `check`, `upload` and `watch`.
 */
import type { FileRole, ManifestWarning, SessionVariables } from './manifest-types.js';

/** One problem, printable as one line: `<path>: <field> <value>: <message> (fix: <fix>)`. */
export interface Problem {
  /** The file or folder concerned. */
  path: string;
  /** Stable problem code, e.g. `name.not_a_date`, `metadata.missing`, `file.empty`. */
  code: string;
  field?: string;
  value?: string;
  message: string;
  fix: string;
  /** Warnings do not make a session invalid. */
  severity: 'error' | 'warning';
  /** A lab schema marked this rule as blocking (`"block": true`): it blocks whatever its code. */
  blocking?: boolean;
  /** What the warning means for the data: `not_processed` when the built-in decoder will not decode it. */
  consequence?: 'not_processed';
}

export interface SessionFile {
  name: string;
  /** Absolute path on disk. */
  path: string;
  role: FileRole;
  size: number;
  mtimeMs: number;
  /** Inode and status-change time (ctime cannot be set back by copying tools, unlike mtime). */
  ino?: number;
  ctimeMs?: number;
}

export interface ValidatedSession {
  /** Absolute path of the folder. */
  dir: string;
  /** Folder name, `YYYYMMDD_HHMMSS`. */
  session: string;
  recordedAt: string;
  metadataFile: string;
  variables: SessionVariables;
  /** Sorted by name. */
  files: SessionFile[];
  totalBytes: number;
  /** The warnings, as the manifest carries them (file names relative to the folder). */
  warnings?: ManifestWarning[];
}

export type ValidationResult =
  { ok: true; session: ValidatedSession; problems: Problem[] } | { ok: false; session?: Partial<ValidatedSession>; problems: Problem[] };
