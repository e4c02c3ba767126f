/** Assertions on what the raw store holds after an upload. */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ObjectStore } from '../../src/core/ports.js';
import { rawObjectPath, revisionManifestKey } from '../../src/core/layout.js';
import type { Manifest } from '../../src/core/session/manifest-types.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * Asserts `raw` holds every file of `dir` bit for bit under raw/<rig>/<session>/ (at the key the
 * manifest of `revision`, default 1, pins), and that manifest lists them. Returns the manifest.
 */
export async function expectStored(raw: ObjectStore, dir: string, session: string, rig = 'local-rig', revision = 1): Promise<Manifest> {
  const prefix = `raw/${rig}/${session}/`;
  const manifest = JSON.parse((await raw.get(revisionManifestKey({ rig, session }, revision))).toString()) as Manifest;
  const names = readdirSync(dir).sort();
  expect(manifest.files.map((f) => f.name)).toEqual(names);
  for (const name of names) {
    const local = readFileSync(join(dir, name));
    const listed = manifest.files.find((f) => f.name === name);
    expect(sha(await raw.get(prefix + rawObjectPath({ name, attempt: listed?.attempt })))).toBe(sha(local));
    expect(manifest.files.find((f) => f.name === name)?.sha256).toBe(sha(local));
  }
  return manifest;
}
