/**
 * The local stack's own S3 credentials: generated once per RECPIPE_HOME, stored 0600. They only
 * open the loopback gateway; they are not AWS credentials.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../adapters/fs/atomic-write.js';

export interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export function ensureLocalCredentials(localDir: string): LocalCredentials {
  const path = join(localDir, 'credentials.json');
  try {
    const c = JSON.parse(readFileSync(path, 'utf8')) as LocalCredentials;
    if (c.accessKeyId && c.secretAccessKey) return c;
  } catch {
    // absent or unreadable: make new ones
  }
  const creds: LocalCredentials = {
    accessKeyId: 'RPLOCAL' + randomBytes(7).toString('hex').toUpperCase(),
    secretAccessKey: randomBytes(30).toString('base64url'),
  };
  writeFileAtomicSync(path, JSON.stringify(creds, null, 2) + '\n', { mode: 0o600 });
  return creds;
}
