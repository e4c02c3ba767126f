/**
 * Writes a session's manifest, once. Same content already committed -> already_committed; other
 * content -> conflict naming what differs. The write uses If-None-Match, so of two concurrent
 * commits exactly one writes and the other re-reads and compares.
 *
 * A manifest with `revision` n >= 2 is a revision of a committed session (core/session/
 * revisions.ts): accepted only when revision n-1 is committed, only with the revision rules
 * (nothing dropped, unchanged files keep their objects, new bytes under new attempt keys), and
 * written once at its own key. Earlier manifests are never touched.
 *
 * Just before the write, the session's open multipart uploads are aborted (`closeUploads`,
 * close-uploads.ts), so no completion signed before the commit can store an object after it.
 * Whether the session is committed, its objects and its revision rules are looked at together.
 */
import { createHash } from 'node:crypto';
import type { CommitResponse } from '../../core/api.js';
import { RecpipeError } from '../../core/errors.js';
import type { FairLimiter } from '../../core/fair-limiter.js';
import { revisionManifestKey, type SessionRef } from '../../core/layout.js';
import type { ObjectStore } from '../../core/ports.js';
import { revisionOf, type Manifest } from '../../core/session/manifest-types.js';
import { revisionProblems } from '../../core/session/revisions.js';
import { canonicalJson } from './canonical-json.js';
import { checkObjects } from './check-objects.js';
import { compareManifests, describeDiff } from './compare-manifests.js';
import { MANIFEST } from '../../core/session/manifest-record.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * `checks`: the API's shared limiter for the commit's HEAD requests (check-objects.ts);
 * `closeUploads`: aborts the session's open uploads, run once the checks pass (a refused commit
 * leaves the rig's uploads open, so it can send what is missing and commit again).
 */
export async function commitSession(raw: ObjectStore, manifest: Manifest, checks: FairLimiter, closeUploads: () => Promise<unknown>): Promise<CommitResponse> {
  const ref: SessionRef = { rig: manifest.rig, session: manifest.session };
  const revision = revisionOf(manifest);
  const key = revisionManifestKey(ref, revision);
  // Whether it is committed already and its checks are asked at once (issue 30: one S3 round
  // trip, not two, before the write). A committed session answers by comparison alone: its
  // objects were checked when it was committed, so what its checks say now is not asked for.
  const checked = (async () => {
    if (revision > 1) await checkRevision(raw, ref, manifest, revision);
    await checkObjects(raw, ref, manifest, checks);
  })();
  checked.catch(() => undefined);
  const existing = await readExisting(raw, key);
  if (existing) return compareWithStored(existing, manifest, key);
  await checked;
  await closeUploads();
  const bytes = Buffer.from(canonicalJson(manifest), 'utf8');
  try {
    await raw.put(key, bytes, { ifNoneMatch: true, contentType: 'application/json' });
  } catch (e) {
    if (!(e instanceof RecpipeError && e.code === 'conflict')) throw e;
    const raced = await readExisting(raw, key);
    if (!raced) throw e;
    return compareWithStored(raced, manifest, key);
  }
  return { status: 'committed', key, manifestSha256: sha256(bytes), ...(revision > 1 ? { revision } : {}) };
}

async function checkRevision(raw: ObjectStore, ref: SessionRef, manifest: Manifest, revision: number): Promise<void> {
  const previous = await readExisting(raw, revisionManifestKey(ref, revision - 1));
  if (!previous) {
    const what = revision === 2 ? 'it is not committed yet' : `its revision ${revision - 1} is not committed yet`;
    throw new RecpipeError('conflict', `cannot commit revision ${revision} of ${manifest.sessionId}: ${what}`, {
      hint:
        revision === 2
          ? 'a revision only follows a first commit; upload the session without a revision'
          : 'commit the revisions in order (`recpipe upload` numbers them)',
      details: { previousRevision: revision - 1, committed: false },
    });
  }
  const problems = revisionProblems(MANIFEST.parse(previous, revisionManifestKey(ref, revision - 1)), manifest);
  if (problems.length > 0) {
    throw new RecpipeError('invalid_session', `invalid revision ${revision} of ${manifest.sessionId}: ${problems.slice(0, 5).join('; ')}`, {
      hint: 'rebuild the revision with `recpipe upload` (it pins every file for you)',
      details: { problems },
    });
  }
}

async function readExisting(raw: ObjectStore, key: string): Promise<Buffer | undefined> {
  if (!(await raw.head(key))) return undefined;
  return raw.get(key);
}

function compareWithStored(bytes: Buffer, manifest: Manifest, key: string): CommitResponse {
  const stored = MANIFEST.parse(bytes, key);
  const diff = compareManifests(stored, manifest);
  const revision = revisionOf(manifest);
  if (!diff.same) {
    const what =
      revision > 1 ? `revision ${revision} of session ${manifest.sessionId} is already committed` : `session ${manifest.sessionId} is already committed`;
    throw new RecpipeError('conflict', `${what} with different content: ${describeDiff(diff)}`, {
      hint:
        revision > 1
          ? 'nothing was overwritten; run the upload again to archive this content as the next revision'
          : 'nothing was overwritten; run the upload again to archive the new content as a revision of the session',
      details: { files: diff.files, variables: diff.variables, metadataFile: diff.metadataFile, ...(revision > 1 ? { revision } : {}) },
    });
  }
  return { status: 'already_committed', key, manifestSha256: sha256(bytes), ...(revision > 1 ? { revision } : {}) };
}
