/**
 * Session revisions. The first commit (revision 1) is write-once and stays as it is; content the
 * rig writes into a committed folder afterwards becomes revision 2, 3, ... Each revision's
 * manifest lists every file of the session: files unchanged since the previous revision keep
 * their pins (the same objects), new and changed files are pinned to attempt keys of their own,
 * so no committed object is ever written again. Files missing from the rig copy are carried
 * over: a revision adds and changes, it never forgets what was archived.
 */
import { manifestKey, revisionManifestKey, revisionsPrefix, manifestKeyInfo, type SessionRef } from '../layout.js';
import type { ObjectStore } from '../ports.js';
import { revisionOf, type Manifest, type ManifestFile } from './manifest-types.js';
import { MANIFEST } from './manifest-record.js';

/** The newest committed manifest of a session with its revision and key; undefined when uncommitted. */
export interface StoredRevision {
  revision: number;
  key: string;
  manifest: Manifest;
  /** The manifest's bytes as stored (their SHA-256 identifies the revision). */
  bytes: Buffer;
}

/** Revision numbers committed for a session, ascending (empty when it is not committed). */
export async function committedRevisions(raw: ObjectStore, ref: SessionRef): Promise<number[]> {
  if (!(await raw.head(manifestKey(ref)))) return [];
  const later = (await raw.list(revisionsPrefix(ref))).map((o) => manifestKeyInfo(o.key)?.revision).filter((n): n is number => n !== undefined);
  return [1, ...later.sort((a, b) => a - b)];
}

/** The newest revision's manifest, or undefined when the session is not committed. */
export async function readNewestRevision(raw: ObjectStore, ref: SessionRef): Promise<StoredRevision | undefined> {
  const revisions = await committedRevisions(raw, ref);
  if (revisions.length === 0) return undefined;
  return readRevision(raw, ref, revisions[revisions.length - 1]);
}

/** One revision's manifest (throws not_found when it is not committed). */
export async function readRevision(raw: ObjectStore, ref: SessionRef, revision: number): Promise<StoredRevision> {
  const key = revisionManifestKey(ref, revision);
  const bytes = await raw.get(key);
  return { revision, key, manifest: MANIFEST.parse(bytes, key), bytes };
}

const sameContent = (a: ManifestFile, b: ManifestFile) => a.size === b.size && a.sha256 === b.sha256;
const samePin = (a: ManifestFile, b: ManifestFile) => a.attempt === b.attempt;

/**
 * Files of `local` (the rig copy as a manifest) that the newest revision does not hold: new, or
 * with other bytes. Files only in `newest` are not differences (they are carried over).
 */
export function revisionChanges(newest: Manifest, local: Manifest): string[] {
  const have = new Map(newest.files.map((f) => [f.name, f]));
  return local.files
    .filter((f) => !have.has(f.name) || !sameContent(have.get(f.name)!, f))
    .map((f) => f.name)
    .sort();
}

/** Whether `local` holds anything to archive as a new revision of `newest` (files or variables). */
export function needsRevision(newest: Manifest, local: Manifest): boolean {
  return (
    revisionChanges(newest, local).length > 0 ||
    newest.metadataFile !== local.metadataFile ||
    JSON.stringify(sortVars(newest.variables)) !== JSON.stringify(sortVars(local.variables))
  );
}

/**
 * The next revision's manifest: the rig copy's files (unchanged ones pinned where `newest` pins
 * them, changed and new ones at the attempts given), plus files of `newest` the rig no longer has.
 */
export function nextRevision(newest: Manifest, local: Manifest, attempts: Record<string, string>): Manifest {
  const have = new Map(newest.files.map((f) => [f.name, f]));
  const files = local.files.map((f) => {
    const old = have.get(f.name);
    if (old && sameContent(old, f)) return { ...old };
    const { attempt: _a, ...plain } = f;
    return { ...plain, attempt: attempts[f.name] };
  });
  const names = new Set(files.map((f) => f.name));
  for (const f of newest.files) if (!names.has(f.name)) files.push({ ...f });
  files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { ...local, files, fileCount: files.length, totalBytes: files.reduce((n, f) => n + f.size, 0), revision: revisionOf(newest) + 1 };
}

/**
 * Why `next` may not follow `previous` (empty when it may): every earlier file is still listed,
 * an unchanged file keeps its object, and a new or changed file is stored under an attempt key
 * no earlier revision pinned for it (so its bytes are new objects, never a committed key).
 */
export function revisionProblems(previous: Manifest, next: Manifest): string[] {
  const p: string[] = [];
  const now = new Map(next.files.map((f) => [f.name, f]));
  const dropped = previous.files.filter((f) => !now.has(f.name)).map((f) => f.name);
  if (dropped.length > 0) p.push(`a revision keeps every file of the one before; missing: ${dropped.slice(0, 10).join(', ')}`);
  for (const f of next.files) {
    const old = previous.files.find((o) => o.name === f.name);
    if (old && sameContent(old, f)) {
      if (!samePin(old, f)) p.push(`${f.name} is unchanged and must keep its stored object (attempt ${old.attempt ?? 'none'})`);
    } else if (!f.attempt || f.attempt === old?.attempt) {
      p.push(`${f.name} is new or changed and must be stored under a new upload attempt`);
    }
  }
  return p;
}

function sortVars(v: Manifest['variables']) {
  const s = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).sort(([x], [y]) => (x < y ? -1 : 1)));
  return { numeric: s(v.numeric), text: s(v.text) };
}
