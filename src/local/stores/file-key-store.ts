/**
 * KeyStore in one JSON file ($RECPIPE_HOME/local/keys.json, mode 0600), for the local profile.
 * Re-read on every lookup so `recpipe keys revoke` in another process takes effect on a running
 * stack at once; written atomically (temp file + rename) so readers never see half a file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RecpipeError } from '../../core/errors.js';
import type { ApiKeyRecord, KeyStore } from '../../backend/ports.js';
import { sortRecords } from '../../backend/keys/sort.js';
import { writeFileAtomicSync } from '../../adapters/fs/atomic-write.js';

export const keysFilePath = (localDir: string) => join(localDir, 'keys.json');

interface KeysFile {
  version: 1;
  keys: ApiKeyRecord[];
}

export class FileKeyStore implements KeyStore {
  constructor(readonly path: string) {}

  async create(record: ApiKeyRecord): Promise<void> {
    const file = this.read();
    if (file.keys.some((k) => k.id === record.id)) throw new RecpipeError('conflict', `api key id ${record.id} already exists`);
    file.keys.push(record);
    this.write(file);
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    return this.read().keys.find((k) => k.id === id);
  }

  async list(): Promise<ApiKeyRecord[]> {
    return sortRecords(this.read().keys);
  }

  async revoke(id: string, at: Date): Promise<ApiKeyRecord> {
    const file = this.read();
    const record = file.keys.find((k) => k.id === id);
    if (!record)
      throw new RecpipeError('not_found', `no api key with id ${JSON.stringify(id)} in ${this.path}`, { hint: 'list the ids with `recpipe keys list`' });
    if (!record.revokedAt) {
      record.revokedAt = at.toISOString();
      this.write(file);
    }
    return record;
  }

  private read(): KeysFile {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, keys: [] };
      throw new RecpipeError('config', `cannot read key store ${this.path}: ${(e as Error).message}`, { hint: 'check its permissions' });
    }
    try {
      const parsed = JSON.parse(text) as KeysFile;
      if (!parsed || !Array.isArray(parsed.keys)) throw new Error('no "keys" array');
      return parsed;
    } catch (e) {
      throw new RecpipeError('config', `key store ${this.path} is not valid: ${(e as Error).message}`, {
        hint: 'restore it from a backup, or move it away and enrol the rigs again',
      });
    }
  }

  private write(file: KeysFile): void {
    writeFileAtomicSync(this.path, JSON.stringify(file, null, 2) + '\n', { mode: 0o600, dirMode: 0o700 });
  }
}
