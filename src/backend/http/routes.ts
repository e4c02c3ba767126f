/** The route table of core/api.ts. */
import { API_ROUTES } from '../../core/api.js';
import type { Handler } from '../handlers/context.js';
import { commit } from '../handlers/commit.js';
import { events } from '../handlers/events.js';
import { multipartComplete } from '../handlers/multipart-complete.js';
import { multipartPart } from '../handlers/multipart-part.js';
import { multipartStart } from '../handlers/multipart-start.js';
import { presign } from '../handlers/presign.js';
import { sessionState } from '../handlers/session-state.js';
import { uploadBatch } from '../handlers/upload-batch.js';

export interface Route {
  method: 'GET' | 'POST';
  /** Path pattern; `{name}` matches one path segment. */
  pattern: string;
  name: string;
  handler: Handler;
}

export const ROUTES: Route[] = [
  { method: 'GET', pattern: API_ROUTES.sessionState, name: 'session-state', handler: sessionState },
  { method: 'POST', pattern: API_ROUTES.presign, name: 'presign', handler: presign },
  { method: 'POST', pattern: API_ROUTES.multipartStart, name: 'multipart-start', handler: multipartStart },
  { method: 'POST', pattern: API_ROUTES.multipartPart, name: 'multipart-part', handler: multipartPart },
  { method: 'POST', pattern: API_ROUTES.multipartComplete, name: 'multipart-complete', handler: multipartComplete },
  { method: 'POST', pattern: API_ROUTES.uploadBatch, name: 'upload-batch', handler: uploadBatch },
  { method: 'POST', pattern: API_ROUTES.commit, name: 'commit', handler: commit },
  { method: 'POST', pattern: API_ROUTES.events, name: 'events', handler: events },
];

/** Path parameters when `path` matches `pattern`, else undefined. Throws on bad percent-encoding. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const p = pattern.split('/');
  const s = path.split('/');
  if (p.length !== s.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const m = /^\{(\w+)\}$/.exec(p[i]);
    if (m) {
      if (s[i] === '') return undefined;
      params[m[1]] = decodeURIComponent(s[i]);
    } else if (p[i] !== s[i]) return undefined;
  }
  return params;
}
