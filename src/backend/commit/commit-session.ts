/**
 * Writes a session's manifest, once. Same content already committed -> already_committed; other
 * content -> conflict naming what differs. The write uses If-None-Match, so of two concurrent
 * commits exactly one writes and the other re-reads and compares.
 */
import { createHash } from 'node:crypto';
import type { CommitResponse } from '../../core/api.js';
import { RecpipeError } from '../../core/errors.js';
import { manifestKey, type SessionRef } from '../../core/layout.js';
import type { ObjectStore } from '../../core/ports.js';
import type { Manifest } from '../../core/session/manifest-types.js';
import { canonicalJson } from './canonical-json.js';
import { checkObjects } from './check-objects.js';
import { compareManifests, describeDiff } from './compare-manifests.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export async function commitSession(raw: ObjectStore, manifest: Manifest): Promise<CommitResponse> {
  const ref: SessionRef = { rig: manifest.rig, session: manifest.session };
  const key = manifestKey(ref);
  // A committed session answers by comparison alone: its objects were checked when it was committed.
  const existing = await readExisting(raw, key);
  if (existing) return compareWithStored(existing, manifest, key);
  await checkObjects(raw, ref, manifest);
  const bytes = Buffer.from(canonicalJson(manifest), 'utf8');
  try {
    await raw.put(key, bytes, { ifNoneMatch: true, contentType: 'application/json' });
  } catch (e) {
    if (!(e instanceof RecpipeError && e.code === 'conflict')) throw e;
    const raced = await readExisting(raw, key);
    if (!raced) throw e;
    return compareWithStored(raced, manifest, key);
  }
  return { status: 'committed', key, manifestSha256: sha256(bytes) };
}

async function readExisting(raw: ObjectStore, key: string): Promise<Buffer | undefined> {
  if (!(await raw.head(key))) return undefined;
  return raw.get(key);
}

function compareWithStored(bytes: Buffer, manifest: Manifest, key: string): CommitResponse {
  const stored = JSON.parse(bytes.toString('utf8')) as Manifest;
  const diff = compareManifests(stored, manifest);
  if (!diff.same) {
    throw new RecpipeError('conflict', `session ${manifest.sessionId} is already committed with different content: ${describeDiff(diff)}`, {
      hint: 'nothing was overwritten; rename the session folder if it is a different recording',
      details: { files: diff.files, variables: diff.variables, metadataFile: diff.metadataFile },
    });
  }
  return { status: 'already_committed', key, manifestSha256: sha256(bytes) };
}
