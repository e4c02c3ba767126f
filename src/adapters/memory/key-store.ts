/** In-memory KeyStore (tests, and the fake behind handler tests). Same contract as the others. */
import { RecpipeError } from '../../core/errors.js';
import type { ApiKeyRecord, KeyStore } from '../../backend/ports.js';
import { sortRecords } from '../../backend/keys/sort.js';

export class MemoryKeyStore implements KeyStore {
  private readonly records = new Map<string, ApiKeyRecord>();

  async create(record: ApiKeyRecord): Promise<void> {
    if (this.records.has(record.id)) throw new RecpipeError('conflict', `api key id ${record.id} already exists`);
    this.records.set(record.id, { ...record });
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const r = this.records.get(id);
    return r ? { ...r } : undefined;
  }

  async list(): Promise<ApiKeyRecord[]> {
    return sortRecords([...this.records.values()].map((r) => ({ ...r })));
  }

  async revoke(id: string, at: Date): Promise<ApiKeyRecord> {
    const r = this.records.get(id);
    if (!r) throw new RecpipeError('not_found', `no api key with id ${JSON.stringify(id)}`, { hint: 'list the ids with `recpipe keys list`' });
    r.revokedAt ??= at.toISOString();
    return { ...r };
  }
}
