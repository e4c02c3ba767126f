/**
 * The `recpipe keys` use-cases: enrol, list and revoke rig keys in the profile's key store
 * (opened by the profile's services: composition/local-services.ts, aws-services.ts). Listings never include the key or its hash.
 */
import type { ApiKeyRecord, KeyStore } from '../ports.js';
import { createRigKey } from './enrol.js';

export interface KeyListing {
  id: string;
  rig: string;
  label?: string;
  createdAt: string;
  revokedAt?: string;
}

export const createKey = (store: KeyStore, rig: string, now: Date, label?: string) => createRigKey(store, rig, now, label);

export async function listKeys(store: KeyStore): Promise<KeyListing[]> {
  return (await store.list()).map(listing);
}

export async function revokeKey(store: KeyStore, id: string, now: Date): Promise<KeyListing> {
  return listing(await store.revoke(id, now));
}

function listing(r: ApiKeyRecord): KeyListing {
  return { id: r.id, rig: r.rig, ...(r.label ? { label: r.label } : {}), createdAt: r.createdAt, ...(r.revokedAt ? { revokedAt: r.revokedAt } : {}) };
}
