/** Enrols a rig: a fresh key whose hash goes into the store. The plain key is returned once, never stored. */
import type { KeyStore } from '../ports.js';
import { generateApiKey } from './api-key.js';

export async function createRigKey(
  store: KeyStore,
  rig: string,
  now: Date,
  label?: string,
): Promise<{ id: string; rig: string; apiKey: string; createdAt: string }> {
  const { apiKey, record } = generateApiKey(rig, now, label);
  await store.create(record);
  return { id: record.id, rig: record.rig, apiKey, createdAt: record.createdAt };
}
