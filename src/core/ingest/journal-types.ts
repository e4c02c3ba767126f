/**
 * The upload journal: what has been hashed and sent for one session, so a restart after a crash
 * or reboot re-sends only what is missing. One JSON document per session, replaced atomically.
 */
import type { Checksum } from '../api.js';
import { arrayOf, bool, fieldsOf, int, mapOf, num, obj, oneOf, opt, str } from '../shape.js';
import { storedRecord } from '../stored-record.js';

export const JOURNAL_VERSION = 1;

export interface JournalPart {
  partNumber: number;
  etag: string;
  checksum: Checksum;
}

export interface JournalFile {
  name: string;
  size: number;
  mtimeMs: number;
  /** Recorded when known; a different inode or ctime means a different or rewritten file. */
  ino?: number;
  ctimeMs?: number;
  sha256?: string;
  /** Multipart only: the part size the file was cut with. */
  partSize?: number;
  uploadId?: string;
  /** The API's ticket for the upload (api.ts StartMultipartResponse): part URLs are signed against it. */
  ticket?: string;
  doneParts: JournalPart[];
  /** The object is complete in the store. */
  done: boolean;
  /**
   * Sending to the attempt's key (layout.ts) instead of the plain one, because the plain key
   * already held bytes this file no longer has.
   */
  attempt?: string;
  /** Bytes of this very file (same identity) were sent to its key: an object found there is ours. */
  sent?: boolean;
}

export interface Journal {
  version: typeof JOURNAL_VERSION;
  rig: string;
  session: string;
  dir: string;
  files: Record<string, JournalFile>;
  committed?: { manifestSha256: string; at: string };
}

export function emptyJournal(rig: string, session: string, dir: string): Journal {
  return { version: JOURNAL_VERSION, rig, session, dir, files: {} };
}

export interface FileIdentity {
  name: string;
  size: number;
  mtimeMs: number;
  ino?: number;
  ctimeMs?: number;
}

/**
 * Same file as when the journal entry was made? Size and mtime alone are not enough: a copy
 * made with `cp -p` or rsync keeps both, so inode and ctime are compared too when known.
 */
export function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino && a.ctimeMs === b.ctimeMs;
}

/** The journal entry for a file as it is now on disk: kept when unchanged, reset otherwise. */
export function reconcileFile(j: Journal, f: FileIdentity, partSize: number | undefined): JournalFile {
  const prev = j.files[f.name];
  // A multipart upload already under way keeps the part size it was cut with, even if the
  // configuration changed since: its finished parts stay valid. One begun by a client before
  // tickets (no ticket recorded) cannot get part URLs any more: it starts again.
  if (prev && sameFile(prev, f) && (prev.uploadId ? prev.ticket !== undefined : prev.partSize === partSize)) return prev;
  const fresh: JournalFile = { name: f.name, size: f.size, mtimeMs: f.mtimeMs, ino: f.ino, ctimeMs: f.ctimeMs, partSize, doneParts: [], done: false };
  j.files[f.name] = fresh;
  return fresh;
}

/**
 * The checked reader of a journal file. A damaged journal is never handed on: the store warns
 * (journal.unreadable, naming the file and field) and the upload starts from an empty journal,
 * re-hashing the files (raw bytes first: a damaged journal costs time, never an upload).
 */
export const JOURNAL = storedRecord<Journal>({
  what: 'upload journal',
  hint: 'nothing to do: the upload starts the session again from its files',
  shape: fieldsOf<Journal>()({
    version: oneOf(JOURNAL_VERSION),
    rig: str,
    session: str,
    dir: str,
    files: mapOf(
      fieldsOf<JournalFile>()({
        name: str,
        size: int,
        mtimeMs: num,
        ino: opt(num),
        ctimeMs: opt(num),
        sha256: opt(str),
        partSize: opt(int),
        uploadId: opt(str),
        ticket: opt(str),
        doneParts: arrayOf(
          fieldsOf<JournalPart>()({ partNumber: int, etag: str, checksum: fieldsOf<Checksum>()({ algorithm: oneOf('SHA256', 'CRC32C'), value: str }) }),
        ),
        done: bool,
        attempt: opt(str),
        sent: opt(bool),
      }),
    ),
    committed: opt(obj({ manifestSha256: str, at: str })),
  }),
});
