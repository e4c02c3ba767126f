/**
 * The local stack's first rig key, so a newcomer needs no set-up: `recpipe local up` calls
 * ensureLocalRigKey, which enrols rig "local-rig" when $RECPIPE_HOME/local/rig-key is missing
 * or no longer valid (unknown or revoked), and writes the plain key there (mode 0600).
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomicSync } from '../adapters/fs/atomic-write.js';
import { LOCAL_RIG, localDir, localRigKeyPath } from './stack-info.js';
import { keyMatches, parseApiKey } from '../backend/keys/api-key.js';
import { createRigKey } from '../backend/keys/enrol.js';
import { FileKeyStore, keysFilePath } from './stores/file-key-store.js';

export interface LocalRigKey {
  id: string;
  rig: string;
  /** Path of the file holding the plain key. */
  path: string;
  /** True when a key was enrolled by this call. */
  created: boolean;
}

export async function ensureLocalRigKey(home: string, rig: string = LOCAL_RIG, now: Date = new Date()): Promise<LocalRigKey> {
  const store = new FileKeyStore(keysFilePath(localDir(home)));
  const path = localRigKeyPath(home);
  const existing = readKey(path);
  const parsed = existing ? parseApiKey(existing) : undefined;
  if (existing && parsed) {
    const record = await store.get(parsed.id);
    if (record && !record.revokedAt && record.rig === rig && keyMatches(existing, record.hash)) return { id: record.id, rig, path, created: false };
  }
  const key = await createRigKey(store, rig, now, 'local stack default key');
  writeFileAtomicSync(path, key.apiKey + '\n', { mode: 0o600 });
  return { id: key.id, rig, path, created: true };
}

function readKey(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}
