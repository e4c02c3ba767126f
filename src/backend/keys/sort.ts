import type { ApiKeyRecord } from '../ports.js';

/** Key records in listing order: oldest first, then by id. */
export function sortRecords(records: ApiKeyRecord[]): ApiKeyRecord[] {
  return [...records].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}
