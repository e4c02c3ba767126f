/**
 * API key strings: `rpk_<id>_<secret>`, id 12 lowercase alphanumerics, secret 32 random bytes in
 * base64url. Only the SHA-256 of the whole string is stored; comparison is constant-time.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { RecpipeError } from '../../core/errors.js';
import { assertRigName } from '../../core/names.js';
import type { ApiKeyRecord } from '../ports.js';

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const KEY_ID_LENGTH = 12;
const KEY_FORMAT = /^rpk_([a-z0-9]{12})_([A-Za-z0-9_-]{43,})$/;

export function newKeyId(): string {
  let id = '';
  for (let i = 0; i < KEY_ID_LENGTH; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

/** The key id of a well-formed key, or undefined. */
export function parseApiKey(apiKey: string): { id: string } | undefined {
  const m = KEY_FORMAT.exec(apiKey);
  return m ? { id: m[1] } : undefined;
}

/** Constant-time comparison of the key's hash with the stored hash. */
export function keyMatches(apiKey: string, storedHash: string): boolean {
  const wellFormed = /^[0-9a-f]{64}$/.test(storedHash);
  // Compare against zeros when there is no usable hash, so the time taken is the same either way.
  const equal = timingSafeEqual(Buffer.from(hashApiKey(apiKey), 'hex'), wellFormed ? Buffer.from(storedHash, 'hex') : Buffer.alloc(32));
  return equal && wellFormed;
}

/** A fresh key and the record to store for it (the key itself is not in the record). */
export function generateApiKey(rig: string, now: Date, label?: string): { apiKey: string; record: ApiKeyRecord } {
  assertRigName(rig);
  // eslint-disable-next-line no-control-regex
  if (label !== undefined && (label.length > 200 || /[\u0000-\u001f]/.test(label))) {
    throw new RecpipeError('usage', `invalid label ${JSON.stringify(label.slice(0, 40))}: at most 200 printable characters`, {
      hint: 'use a short label like "lab 2 rig"',
    });
  }
  const id = newKeyId();
  const apiKey = `rpk_${id}_${randomBytes(32).toString('base64url')}`;
  const record: ApiKeyRecord = { id, rig, hash: hashApiKey(apiKey), createdAt: now.toISOString(), ...(label ? { label } : {}) };
  return { apiKey, record };
}
