/**
 * `recpipe local up`'s embedded stack (src/local/stack.ts), assembled with the composition
 * root's S3 client (storage.ts) and the local profile's API (local-api.ts).
 */
import { startEmbeddedStack, type LocalStack, type LocalStackOptions } from '../local/stack.js';
import { buildLocalApi } from './local-api.js';
import { openStorage } from './storage.js';

export type { LocalStack, LocalStackOptions };

export function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  return startEmbeddedStack(options, { openStorage, startApi: buildLocalApi });
}
