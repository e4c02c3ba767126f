/**
 * The session manifest: the commit marker of an upload. It is written last, once, by the server
 * (or by the direct transport), after every listed object has been checked to exist with its size.
 * Nothing downstream looks at a session before its manifest exists.
 */

export const MANIFEST_SCHEMA = 'recpipe.manifest/1';

export type FileRole = 'data' | 'metadata';

export interface ManifestFile {
  /** Plain file name inside the session folder (validated by `fileNameProblem`). */
  name: string;
  role: FileRole;
  size: number;
  /** Whole-file SHA-256, lowercase hex. Multipart ETags are not MD5s, so this is the reference. */
  sha256: string;
  /**
   * Set when the file is stored under an attempt's key (layout.ts rawObjectKey), not the plain
   * one: the plain key held bytes of the file from before the rig had finished writing it.
   */
  attempt?: string;
}

/** Metadata variables, split by type so SQL can filter numbers as numbers. */
export interface SessionVariables {
  numeric: Record<string, number>;
  text: Record<string, string>;
}

/**
 * A content problem found when the session was validated on the rig (docs/data-format.md, "What
 * blocks and what warns"): the session was archived anyway and the warning travels with it.
 */
export interface ManifestWarning {
  /** Problem code, e.g. `data.partial_frame`. */
  code: string;
  /** The file concerned; absent for the session as a whole. */
  file?: string;
  /** The metadata variable concerned, when there is one. */
  field?: string;
  /** One line, naming the value and the fix. */
  message: string;
}

export interface Manifest {
  schema: typeof MANIFEST_SCHEMA;
  /** `<rig>/<session>`, unique across the lab. */
  sessionId: string;
  rig: string;
  /** The folder name, `YYYYMMDD_HHMMSS`. */
  session: string;
  /** Local wall-clock start, `YYYY-MM-DDTHH:MM:SS` (no zone: rigs record local time). */
  recordedAt: string;
  /** Name of the metadata file among `files`. */
  metadataFile: string;
  variables: SessionVariables;
  files: ManifestFile[];
  fileCount: number;
  totalBytes: number;
  client: { name: 'recpipe'; version: string; host: string; transport: 'api' | 'direct' };
  /** ISO-8601 UTC time the client built the manifest. */
  createdAt: string;
  /** Content problems found on the rig; absent or empty when there were none. */
  warnings?: ManifestWarning[];
  /**
   * Revision 2 and up: content written into the session folder after its first commit. Absent
   * on the first commit (revision 1). A revision lists every file of the session, carrying over
   * unchanged ones with their pins; its new and changed files are stored under attempt keys.
   */
  revision?: number;
}

/** A manifest's revision number (1 for the first commit). */
export const revisionOf = (m: Pick<Manifest, 'revision'>): number => m.revision ?? 1;
