import type { Logger } from '../../core/ports.js';
import type { ApiDeps } from '../deps.js';

/** What an authenticated handler gets: the deps, the rig of the caller's token, and a request-scoped logger. */
export interface HandlerContext {
  deps: ApiDeps;
  rig: string;
  requestId: string;
  logger: Logger;
  /** Path parameters (already URL-decoded). */
  params: Record<string, string>;
}

export type Handler = (ctx: HandlerContext, body: unknown) => Promise<unknown>;
