/** Everything the API handlers need, built once at the edge (local stack or Lambda) and injected. */
import type { FairLimiter } from '../core/fair-limiter.js';
import type { EventBudget } from '../core/token-bucket.js';
import type { Clock, Logger, ObjectStore } from '../core/ports.js';
import type { KeyStore, Presigner, SecretProvider } from './ports.js';
import type { QuotaLimits, QuotaStore } from './quota/quota-store.js';

export interface ApiDeps {
  keys: KeyStore;
  secrets: SecretProvider;
  presigner: Presigner;
  /** The raw bucket: session objects and manifests. */
  raw: ObjectStore;
  /** The server's own log (requests, failures with stacks). */
  logger: Logger;
  /** Where client events from POST /v1/events go (CloudWatch on AWS, the local log file locally). */
  cloudLog: Logger;
  clock: Clock;
  /** Token lifetime, seconds (default 15 min). */
  tokenTtlSec: number;
  /** Presigned URL lifetime, seconds (default 5 min: DEFAULT_URL_TTL_SEC). */
  urlTtlSec: number;
  /**
   * Per-rig daily quota. Set on the local stack and on AWS; absent only for `upload --direct`,
   * whose boundary is the caller's IAM permissions (the largest-file limit applies regardless).
   */
  quota?: { store: QuotaStore; limits: QuotaLimits };
  /**
   * Shared by every commit this instance checks: bounds the HEAD requests in flight, overall and
   * per rig, and serves rigs in turn (commit/check-objects.ts).
   */
  commitChecks: FairLimiter;
  /** Each rig's budget of client events (handlers/events.ts); past it, events are dropped and counted. */
  eventBudget: EventBudget;
}

/**
 * Presigned URLs live 5 minutes: as short as uploads allow, since no revoke or commit recalls a
 * URL already signed. Batches (ingest/url-broker.ts) sign at most what the link carries in half
 * a lifetime and sign again what is about to expire, so a slow link costs more API calls, never
 * a failed part; S3 checks the expiry when a request starts, so a long PUT begun in time
 * finishes. The reasoning: docs/analysis.md, "What a revoke or a commit cannot recall".
 */
export const DEFAULT_URL_TTL_SEC = 5 * 60;
