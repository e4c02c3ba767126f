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
import { arrayOf, fieldsOf, oneOf, opt, sha256Hex, str } from '../../core/shape.js';
import { storedRecord } from '../../core/stored-record.js';

export const keysFilePath = (localDir: string) => join(localDir, 'keys.json');

interface KeysFile {
  version: 1;
  keys: ApiKeyRecord[];
}

/** A file a person keeps (and backs up): a damaged one is a `config` error naming the file and field. */
const KEYS_FILE = storedRecord<KeysFile>({
  what: 'key store',
  code: 'config',
  hint: 'restore it from a backup, or move it away and enrol the rigs again',
  shape: fieldsOf<KeysFile>()({
    version: oneOf(1),
    keys: arrayOf(fieldsOf<ApiKeyRecord>()({ id: str, rig: str, hash: sha256Hex, label: opt(str), createdAt: str, revokedAt: opt(str) })),
  }),
});

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
    return KEYS_FILE.parse(text, this.path);
  }

  private write(file: KeysFile): void {
    writeFileAtomicSync(this.path, JSON.stringify(file, null, 2) + '\n', { mode: 0o600, dirMode: 0o700 });
  }
}
