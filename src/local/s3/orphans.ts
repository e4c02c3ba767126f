/**
 * s3rver keeps an object as `<name>._S3rver_object` (the data), `.md5` and
 * `<name>._S3rver_metadata.json`, written in that order. Data without metadata is an object
 * whose write never finished: a stack killed between the files, or (before keys were checked,
 * rules/key.ts) a name too long for the metadata file. s3rver fails every listing of its folder
 * on such an orphan (the metadata read fails with ENAMETOOLONG, not ENOENT), so start-up removes
 * them from the disk before serving; no client ever got a 200 for one.
 */
import { access, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

const DATA = '._S3rver_object';
const METADATA = '._S3rver_metadata.json';
/** s3rver's multipart folder inside a bucket: part files, not objects (startup-cleanup.ts). */
const UPLOADS = '._S3rver_uploads';

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    // ENOENT, or ENAMETOOLONG: a metadata file that cannot exist
    return false;
  }
}

/** Removes `path`; a name too long to exist is already absent. */
async function remove(path: string): Promise<void> {
  await rm(path, { force: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENAMETOOLONG') throw e;
  });
}

/** Removes data files without metadata under `bucketDir`; returns how many objects went. */
export async function removeOrphans(bucketDir: string, top = true): Promise<number> {
  let removed = 0;
  for (const e of await readdir(bucketDir, { withFileTypes: true }).catch(() => [])) {
    const path = join(bucketDir, e.name);
    if (e.isDirectory()) {
      if (!(top && e.name === UPLOADS)) removed += await removeOrphans(path, false);
      continue;
    }
    if (!e.name.endsWith(DATA)) continue;
    const base = path.slice(0, -DATA.length);
    if (await exists(base + METADATA)) continue;
    await remove(path);
    await remove(path + '.md5');
    removed++;
  }
  return removed;
}
