/**
 * The local stack's own S3 credentials: generated once per RECPIPE_HOME, stored 0600. They only
 * open the loopback gateway; they are not AWS credentials.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../adapters/fs/atomic-write.js';
import { fieldsOf, str } from '../core/shape.js';
import { storedRecord } from '../core/stored-record.js';

export interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export const LOCAL_CREDENTIALS = storedRecord<LocalCredentials>({
  what: 'local stack credentials',
  hint: 'nothing to do: new ones are generated',
  shape: fieldsOf<LocalCredentials>()({ accessKeyId: str, secretAccessKey: str }),
});

export function ensureLocalCredentials(localDir: string): LocalCredentials {
  const path = join(localDir, 'credentials.json');
  try {
    const c = LOCAL_CREDENTIALS.parse(readFileSync(path), path);
    if (c.accessKeyId && c.secretAccessKey) return c;
  } catch {
    // Absent or damaged: new ones replace them (they open only the loopback gateway, and the
    // stack hands them to clients in stack.json).
  }
  const creds: LocalCredentials = {
    accessKeyId: 'RPLOCAL' + randomBytes(7).toString('hex').toUpperCase(),
    secretAccessKey: randomBytes(30).toString('base64url'),
  };
  writeFileAtomicSync(path, JSON.stringify(creds, null, 2) + '\n', { mode: 0o600 });
  return creds;
}
