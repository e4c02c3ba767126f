/**
 * Where everything lives in the object stores. The only module that builds keys; every key it
 * returns has been built from validated names, so nothing can escape its prefix.
 *
 * raw bucket (write-once, never deleted by recpipe)
 *   raw/<rig>/<session>/<file>                     data and metadata files, byte for byte
 *   raw/<rig>/<session>/_attempts/<attempt>/<file> a file re-sent before the commit because the
 *                                                  first key holds bytes it no longer has (the
 *                                                  rig was still writing it); the manifest pins it
 *   raw/<rig>/<session>/_manifest.json             commit marker, written last (revision 1)
 *   raw/<rig>/<session>/_revisions/<n>/_manifest.json  revision n >= 2: content the rig wrote into
 *                                                  the folder after the commit; lists every file
 *                                                  of the session, new and changed ones pinned to
 *                                                  `_attempts/<attempt>/<file>` (never a plain key)
 *   decisions/<rig>/<session>/<n>.json             a person's accept/reject of held revision n
 *                                                  (write-once; outside raw/, so the API role,
 *                                                  which may write only raw/, cannot decide for a rig)
 * lake bucket
 *   catalog/sessions/dt=<YYYY-MM-DD>/<rig>__<session>.json          one JSON line per session
 *   catalog/files/dt=<YYYY-MM-DD>/<rig>__<session>__<pipeline>__<version>.json  one line per output
 *   catalog/ledger/<pipeline>/<version>/<rig>__<session>.json        processing state
 *   processed/<pipeline>/<version>/<rig>/<session>/<file>            preprocessed outputs
 *   athena-results/                                                  Athena's result files (expire)
 */
import { RecpipeError } from './errors.js';
import { assertFileName, assertRigName } from './names.js';
import { partitionDate, sessionTimestamp } from './session/name.js';

/** Keys are built for new and archived names alike: the handlers refuse new names with hidden characters first. */
const ARCHIVED = { archived: true };

export const MANIFEST_NAME = '_manifest.json';
export const RAW_PREFIX = 'raw/';
export const CATALOG_PREFIX = 'catalog/';
export const PROCESSED_PREFIX = 'processed/';

export interface SessionRef {
  rig: string;
  session: string;
}

/** `<rig>/<session>` after validating both parts. */
export function sessionId(ref: SessionRef): string {
  assertRigName(ref.rig);
  sessionTimestamp(ref.session);
  return `${ref.rig}/${ref.session}`;
}

/**
 * The rig and session of a `<rig>/<session>` id, not validated, or undefined unless it has
 * exactly two non-empty parts. The one place a session id is split.
 */
export function splitSessionId(id: string): SessionRef | undefined {
  const parts = id.split('/');
  return parts.length === 2 && parts[0] && parts[1] ? { rig: parts[0], session: parts[1] } : undefined;
}

/** The session part of a `<rig>/<session>` id, not validated ('' if it has none). */
export function sessionPartOf(id: string): string {
  return id.split('/')[1] ?? '';
}

/** The `<rig>/<session>` a raw key (`raw/<rig>/<session>/...`) sits under, not validated: audits group stray keys by it. */
export function rawKeySessionId(key: string): string {
  return key.split('/').slice(1, 3).join('/');
}

/** `<rig>/<session>` parsed and validated (invalid_name otherwise). */
export function parseSessionId(id: string): SessionRef {
  const parts = id.split('/');
  if (parts.length !== 2) {
    throw new RecpipeError('invalid_name', `invalid session id ${JSON.stringify(id)}: expected <rig>/<YYYYMMDD_HHMMSS>`, {
      hint: 'write it like rig-01/20210228_161221',
    });
  }
  const ref = { rig: parts[0], session: parts[1] };
  sessionId(ref);
  return ref;
}

export function rawSessionPrefix(ref: SessionRef): string {
  return `${RAW_PREFIX}${sessionId(ref)}/`;
}

export const ATTEMPTS_DIR = '_attempts';
/** The shape of an upload attempt id (chosen by the client, checked wherever it reaches a key). */
export const ATTEMPT_ID = /^[a-z0-9]{6,32}$/;

/** An upload attempt id as it may appear in a key: 6 to 32 lowercase letters and digits. */
export function assertAttempt(attempt: string): string {
  if (!ATTEMPT_ID.test(attempt)) {
    throw new RecpipeError(
      'invalid_name',
      `invalid upload attempt ${JSON.stringify(String(attempt).slice(0, 40))}: expected 6 to 32 lowercase letters and digits`,
      {
        hint: 'the attempt id is chosen by `recpipe upload`; do not edit it',
      },
    );
  }
  return attempt;
}

/** Where one file of a session is stored: the plain key, or (with `attempt`) an attempt's key. */
export function rawFileKey(ref: SessionRef, file: string, attempt?: string): string {
  return rawSessionPrefix(ref) + rawObjectPath({ name: assertFileName(file, ARCHIVED), attempt });
}

/** A stored file's key below its session prefix: `<file>` or `_attempts/<attempt>/<file>`. */
export function rawObjectPath(file: { name: string; attempt?: string }): string {
  return (file.attempt === undefined ? '' : `${ATTEMPTS_DIR}/${assertAttempt(file.attempt)}/`) + file.name;
}

/**
 * The object a committed manifest lists for `file` (name and pinned attempt): every reader of
 * raw data goes through this, never through the file name alone.
 */
export function rawObjectKey(ref: SessionRef, file: { name: string; attempt?: string }): string {
  return rawFileKey(ref, file.name, file.attempt);
}

/** A key's part after its session prefix as a file name and attempt; undefined when it is neither. */
export function rawObjectName(rest: string): { name: string; attempt?: string } | undefined {
  const parts = rest.split('/');
  if (parts.length === 1 && parts[0] && parts[0] !== MANIFEST_NAME) return { name: parts[0] };
  if (parts.length === 3 && parts[0] === ATTEMPTS_DIR && ATTEMPT_ID.test(parts[1]) && parts[2]) return { name: parts[2], attempt: parts[1] };
  return undefined;
}

export function manifestKey(ref: SessionRef): string {
  return rawSessionPrefix(ref) + MANIFEST_NAME;
}

export const REVISIONS_DIR = '_revisions';
/** Revision numbers as they appear in keys: decimal, no leading zero, 2 and up. */
const REVISION = /^[1-9][0-9]{0,8}$/;

/** Where revision `n` of a session's manifest lives: revision 1 is the plain commit marker. */
export function revisionManifestKey(ref: SessionRef, revision: number): string {
  if (!Number.isInteger(revision) || revision < 1 || revision > 999_999_999) {
    throw new RecpipeError('invalid_session', `invalid session revision ${JSON.stringify(revision)}: expected a whole number from 1`, {
      hint: 'revisions are numbered by `recpipe upload`; do not edit them',
    });
  }
  return revision === 1 ? manifestKey(ref) : `${rawSessionPrefix(ref)}${REVISIONS_DIR}/${revision}/${MANIFEST_NAME}`;
}

/** The prefix under which a session's revisions (2 and up) are stored. */
export function revisionsPrefix(ref: SessionRef): string {
  return `${rawSessionPrefix(ref)}${REVISIONS_DIR}/`;
}

const MANIFEST_KEY = /^raw\/([a-z0-9][a-z0-9-]{0,62})\/(\d{8}_\d{6})\/(?:_revisions\/([^/]+)\/)?_manifest\.json$/;

/** The session and revision a manifest key (of any revision) belongs to; undefined for other keys. */
export function manifestKeyInfo(key: string): { ref: SessionRef; revision: number } | undefined {
  const m = MANIFEST_KEY.exec(key);
  if (!m || (m[3] !== undefined && (!REVISION.test(m[3]) || m[3] === '1'))) return undefined;
  try {
    const ref = { rig: m[1], session: m[2] };
    sessionId(ref);
    return { ref, revision: m[3] === undefined ? 1 : Number(m[3]) };
  } catch {
    return undefined;
  }
}

/**
 * The session whose first commit marker `key` is, or undefined for any other key (later
 * revisions included: listing these finds each committed session once).
 */
export function sessionOfManifestKey(key: string): SessionRef | undefined {
  const info = manifestKeyInfo(key);
  return info?.revision === 1 ? info.ref : undefined;
}

export const DECISIONS_PREFIX = 'decisions/';

/** Where a person's decision on revision `n` (2 and up) of a session is stored, write-once. */
export function decisionKey(ref: SessionRef, revision: number): string {
  if (!Number.isInteger(revision) || revision < 2 || revision > 999_999_999) {
    throw new RecpipeError('usage', `invalid revision ${JSON.stringify(revision)}: only revisions 2 and up are decided`, {
      hint: 'revision 1 is the first commit and is always served; `recpipe revisions list RIG/SESSION` shows the others',
    });
  }
  return `${DECISIONS_PREFIX}${sessionId(ref)}/${revision}.json`;
}

/** The prefix holding every decision on a session's revisions. */
export function decisionsPrefix(ref: SessionRef): string {
  return `${DECISIONS_PREFIX}${sessionId(ref)}/`;
}

const DECISION_KEY = /^decisions\/([a-z0-9][a-z0-9-]{0,62})\/(\d{8}_\d{6})\/([^/]+)\.json$/;

/** The session and revision a decision key belongs to; undefined for any other key. */
export function decisionKeyInfo(key: string): { ref: SessionRef; revision: number } | undefined {
  const m = DECISION_KEY.exec(key);
  if (!m || !REVISION.test(m[3]) || m[3] === '1') return undefined;
  try {
    const ref = { rig: m[1], session: m[2] };
    sessionId(ref);
    return { ref, revision: Number(m[3]) };
  } catch {
    return undefined;
  }
}

/** S3 event notifications URL-encode keys and write spaces as `+`. */
export function decodeEventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

const flat = (ref: SessionRef) => `${ref.rig}__${ref.session}`;
const dt = (ref: SessionRef) => `dt=${partitionDate(sessionTimestamp(ref.session))}`;

/**
 * The one rule for a session's catalog day `dt`: the date in its name (YYYYMMDD_hhmmss), never
 * `recorded_at`. Keys are built with it above (Athena reads `dt` from the key); this SQL form
 * of the same rule derives the column for DuckDB, over a `session` column.
 */
export const SESSION_DT_SQL = `substr(session, 1, 4) || '-' || substr(session, 5, 2) || '-' || substr(session, 7, 2)`;

export function catalogSessionKey(ref: SessionRef): string {
  return `${CATALOG_PREFIX}sessions/${dt(ref)}/${flat(ref)}.json`;
}

export function pipelineSegment(value: string, what: string): string {
  if (!/^[a-z0-9][a-z0-9._-]{0,62}$/.test(value)) {
    throw new RecpipeError('invalid_name', `invalid ${what} ${JSON.stringify(value)}: use lowercase letters, digits, dots, dashes, underscores`, {
      hint: `pick a ${what} like "default" or "1.0.0"`,
    });
  }
  return value;
}

export function catalogFilesKey(ref: SessionRef, pipeline: string, version: string): string {
  return `${CATALOG_PREFIX}files/${dt(ref)}/${flat(ref)}__${pipelineSegment(pipeline, 'pipeline name')}__${pipelineSegment(version, 'pipeline version')}.json`;
}

export function ledgerKey(ref: SessionRef, pipeline: string, version: string): string {
  return `${CATALOG_PREFIX}ledger/${pipelineSegment(pipeline, 'pipeline name')}/${pipelineSegment(version, 'pipeline version')}/${flat(ref)}.json`;
}

export function processedPrefix(ref: SessionRef, pipeline: string, version: string): string {
  return `${PROCESSED_PREFIX}${pipelineSegment(pipeline, 'pipeline name')}/${pipelineSegment(version, 'pipeline version')}/${sessionId(ref)}/`;
}

export function processedFileKey(ref: SessionRef, pipeline: string, version: string, file: string): string {
  return processedPrefix(ref, pipeline, version) + assertFileName(file, ARCHIVED);
}

/**
 * Snapshots (docs/catalog-schema.md, "snapshots"): one object per snapshot, write-once, read as
 * the `snapshots` table; a pin per session x pipeline version it references, which processing
 * reads before it writes that session's outputs again; and the outputs processing kept because a
 * snapshot references bytes it was about to replace, stored once per content.
 *   catalog/snapshots/<name>.json                                        one JSON line per file
 *   catalog/snapshot-pins/<pipeline>/<version>/<rig>__<session>/<name>.json  {key, sha256} of its files there
 *   processed/_kept/<sha256>                                             an output a snapshot references, kept
 */
export const SNAPSHOT_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/** A snapshot name as it may appear in a key; invalid_name (exit 2) otherwise. */
export function assertSnapshotName(name: string): string {
  if (!SNAPSHOT_NAME.test(name)) {
    throw new RecpipeError(
      'invalid_name',
      `invalid snapshot name ${JSON.stringify(name.slice(0, 80))}: use 1-63 lowercase letters, digits, dots, dashes or underscores, starting with a letter or digit`,
      { hint: 'e.g. recpipe snapshot create fatigue-v1 ...' },
    );
  }
  return name;
}

export const SNAPSHOTS_PREFIX = `${CATALOG_PREFIX}snapshots/`;

export function snapshotKey(name: string): string {
  return `${SNAPSHOTS_PREFIX}${assertSnapshotName(name)}.json`;
}

/** The snapshot a key of SNAPSHOTS_PREFIX holds, or undefined for any other key. */
export function snapshotOfKey(key: string): string | undefined {
  const m = /^catalog\/snapshots\/([^/]+)\.json$/.exec(key);
  return m && SNAPSHOT_NAME.test(m[1]) ? m[1] : undefined;
}

/** Where the pins on one session's outputs of one pipeline version live. */
export function snapshotPinPrefix(ref: SessionRef, pipeline: string, version: string): string {
  return `${CATALOG_PREFIX}snapshot-pins/${pipelineSegment(pipeline, 'pipeline name')}/${pipelineSegment(version, 'pipeline version')}/${flat(ref)}/`;
}

export function snapshotPinKey(ref: SessionRef, pipeline: string, version: string, name: string): string {
  return `${snapshotPinPrefix(ref, pipeline, version)}${assertSnapshotName(name)}.json`;
}

/** Where an output a snapshot references is kept once processing replaces it at its own key. */
export function keptOutputKey(sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new RecpipeError('integrity', `not a SHA-256: ${JSON.stringify(sha256.slice(0, 80))}`);
  return `${PROCESSED_PREFIX}_kept/${sha256}`;
}
