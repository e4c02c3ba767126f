/**
 * The `recpipe keys` use-cases: enrol, list and revoke rig keys in the profile's key store
 * (local: $RECPIPE_HOME/local/keys.json, usable with or without a running stack; aws: DynamoDB).
 * Listings never include the key or its hash.
 */
import type { Config } from '../../config/schema.js';
import { localDir } from '../../local/stack-info.js';
import type { ApiKeyRecord, KeyStore } from '../ports.js';
import { createRigKey } from './enrol.js';
import { FileKeyStore, keysFilePath } from './file-key-store.js';

export interface KeyListing {
  id: string;
  rig: string;
  label?: string;
  createdAt: string;
  revokedAt?: string;
}

/** Where the profile keeps its keys, and a human name for it. */
export async function openKeyStore(config: Config): Promise<{ store: KeyStore; where: string }> {
  if (config.profile === 'local') {
    const path = keysFilePath(localDir(config.home));
    return { store: new FileKeyStore(path), where: path };
  }
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const { DynamoKeyStore } = await import('../../adapters/aws/dynamo-key-store.js');
  return { store: new DynamoKeyStore(config.keysTable, new DynamoDBClient({ region: config.region })), where: `DynamoDB table ${config.keysTable}` };
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
