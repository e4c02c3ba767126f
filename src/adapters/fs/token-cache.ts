/**
 * The token of the last authentication, kept between runs of `recpipe upload`
 * ($RECPIPE_HOME/tokens/<hash>.json, 0600 in a 0700 folder), so a run within a token's lifetime
 * does not wait an API round trip before its first batch (issue 30). One file per API and key:
 * the name is a SHA-256 of both, so the key is never written and another key or API never reads
 * it. The cache is best effort: a file that cannot be read or written is no token, and the run
 * authenticates as it would have. What a kept token may do, and why that is no more than the key
 * beside it: docs/analysis.md "Tokens kept between runs".
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { AuthResponse } from '../../core/api.js';
import { fieldsOf, str } from '../../core/shape.js';
import { storedRecord } from '../../core/stored-record.js';
import type { TokenCache } from '../../features/ingest/token-source.js';
import { writeFileAtomicSync } from './atomic-write.js';

const KEPT_TOKEN = storedRecord<AuthResponse>({
  what: 'kept token',
  hint: 'nothing to do: recpipe authenticates again',
  shape: fieldsOf<AuthResponse>()({ token: str, rig: str, expiresAt: str }),
});

export function tokenCachePath(home: string, apiUrl: string, apiKey: string): string {
  const name = createHash('sha256').update(`${apiUrl}\n${apiKey}`).digest('hex').slice(0, 32);
  return join(home, 'tokens', `${name}.json`);
}

export function fileTokenCache(home: string, apiUrl: string, apiKey: string): TokenCache {
  const path = tokenCachePath(home, apiUrl, apiKey);
  return {
    load: () => {
      try {
        const kept = KEPT_TOKEN.parse(readFileSync(path), path);
        return Number.isFinite(Date.parse(kept.expiresAt)) ? kept : undefined;
      } catch {
        return undefined;
      }
    },
    save: (auth) => {
      try {
        writeFileAtomicSync(path, JSON.stringify(auth), { mode: 0o600, dirMode: 0o700 });
      } catch {
        // Not kept: the next run authenticates.
      }
    },
    drop: () => {
      try {
        rmSync(path, { force: true });
      } catch {
        // Left in place: the next run tries it, is refused, and drops it again.
      }
    },
  };
}
