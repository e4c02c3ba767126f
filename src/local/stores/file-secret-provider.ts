/**
 * The local stack's token secret: 32 random bytes in $RECPIPE_HOME/local/token-secret (0600),
 * created once (exclusive link, so two starting processes agree on one secret).
 */
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RecpipeError } from '../../core/errors.js';
import type { SecretProvider } from '../../backend/ports.js';

export const tokenSecretPath = (localDir: string) => join(localDir, 'token-secret');

export class FileSecretProvider implements SecretProvider {
  private cached?: Buffer;

  constructor(private readonly path: string) {}

  async tokenSecret(): Promise<Buffer> {
    if (!this.cached) this.cached = ensureSecretFile(this.path);
    return this.cached;
  }
}

export function ensureSecretFile(path: string): Buffer {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // Write a temp file, then link it into place: the link is atomic and fails if a secret exists,
  // so a reader never sees a half-written secret.
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, randomBytes(32), { mode: 0o600 });
  try {
    linkSync(tmp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    unlinkSync(tmp);
  }
  const secret = readFileSync(path);
  if (secret.length < 32) {
    throw new RecpipeError('config', `token secret ${path} is shorter than 32 bytes`, {
      hint: 'stop the local stack, delete the file and start it again (running rigs re-authenticate)',
    });
  }
  return secret;
}
