/**
 * The rig's session folders for `verify --root`, with each committed file's SHA-256. A file is
 * hashed only when the archive holds a file of that name and size (otherwise it differs anyway),
 * and only when its path, size, mtime or inode changed since it was last hashed: the hashes are
 * cached in `$RECPIPE_HOME/verify/rig-hashes.json`, so a daily run on an unchanged rig reads no
 * file. (A bit flip on the rig's disk changes no mtime: a file is re-read after `--rehash-rig`.)
 */
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { LocalSession } from '../../core/audit/reconcile.js';
import type { Manifest } from '../../core/session/manifest-types.js';
import { parseSessionName } from '../../core/session/name.js';
import { validateSessionDir } from '../session/validate-session-dir.js';
import { int, mapOf, num, opt, fieldsOf, str } from '../../core/shape.js';
import { storedRecord } from '../../core/stored-record.js';
import { readRecord, REBUILT, writeRecord } from './records.js';

const CACHE = 'rig-hashes.json';

interface CachedHash {
  size: number;
  mtimeMs: number;
  ino?: number;
  sha256: string;
}

/** `rig-hashes.json`: each rig file's SHA-256 by path, with the size, mtime and inode it was read at. */
export const RIG_HASHES = storedRecord<Record<string, CachedHash>>({
  what: 'rig hash cache',
  hint: `${REBUILT}; this run hashes every rig file again`,
  shape: mapOf(fieldsOf<CachedHash>()({ size: int, mtimeMs: num, ino: opt(int), sha256: str })),
});

export interface RigScan {
  sessions: LocalSession[];
  /** Files read and hashed this run (0 on an unchanged rig). */
  hashed: number;
}

async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path)) h.update(c as Buffer);
  return h.digest('hex');
}

/**
 * Scans `root` for valid session folders in scope; each file archived under the same name and size
 * (in the newest revision `archived` gives for the session) gets its SHA-256, cached by identity.
 */
export async function scanRigFiles(
  root: string,
  rig: string,
  o: {
    home: string;
    inScope: (session: string) => boolean;
    archived: (sessionId: string) => Manifest | undefined;
    rehash?: boolean;
    /** Told when the cache is damaged (it is then read as empty). */
    warn?: (message: string) => void;
  },
): Promise<RigScan> {
  const cache = new Map(Object.entries(await readRecord(o.home, CACHE, RIG_HASHES, {}, (e) => o.warn?.(e.message))));
  const sessions: LocalSession[] = [];
  let hashed = 0;
  for (const d of await readdir(root, { withFileTypes: true })) {
    if (!d.isDirectory() || !parseSessionName(d.name).ok || !o.inScope(d.name)) continue;
    // Invalid folders are the validator's business (`recpipe check`), not the audit's.
    const v = await validateSessionDir(join(root, d.name));
    if (!v.ok) continue;
    const sessionId = `${rig}/${d.name}`;
    const remote = new Map((o.archived(sessionId)?.files ?? []).map((f) => [f.name, f]));
    const files: LocalSession['files'] = [];
    for (const f of v.session.files) {
      if (remote.get(f.name)?.size !== f.size) {
        files.push({ name: f.name, size: f.size });
        continue;
      }
      const c = cache.get(f.path);
      let sha256 = c?.sha256;
      if (o.rehash || !c || c.size !== f.size || c.mtimeMs !== f.mtimeMs || c.ino !== f.ino) {
        sha256 = await hashFile(f.path);
        hashed++;
        cache.set(f.path, { size: f.size, mtimeMs: f.mtimeMs, ino: f.ino, sha256 });
      }
      files.push({ name: f.name, size: f.size, sha256 });
    }
    sessions.push({ sessionId, files, changedAt: Math.max(0, ...v.session.files.map((f) => f.mtimeMs)) });
  }
  if (hashed > 0) await writeRecord(o.home, CACHE, Object.fromEntries(cache));
  return { sessions, hashed };
}
