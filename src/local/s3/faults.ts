/**
 * Fault injection for tests: make matching requests fail the way networks and S3 do.
 */
import type { S3Operation } from './operation.js';

export type FaultAction =
  /** Cut the connection once this many body bytes arrived (nothing is stored). */
  | { type: 'drop-after-bytes'; bytes: number }
  /** Answer with this status and S3 error code instead of forwarding. */
  | { type: 'status'; status: number; code: string }
  /** Corrupt the body byte at `offset` in transit (checksums then catch it, or not). */
  | { type: 'flip-byte'; offset: number }
  /** Hold the request this long before handling it. */
  | { type: 'delay'; ms: number }
  /**
   * Carry out a write (PutObject, CompleteMultipartUpload), then cut the connection instead of
   * answering: the client cannot tell that it succeeded, as when a long answer times out.
   */
  | { type: 'drop-response' };

export interface FaultMatch {
  method?: string;
  bucket?: string;
  keyPrefix?: string;
  operation?: S3Operation;
  partNumber?: number;
}

export interface FaultRule {
  match: FaultMatch;
  action: FaultAction;
  /** How many requests it applies to (default: all). */
  times?: number;
}

export interface FaultRequest {
  method: string;
  bucket: string;
  key: string;
  operation: S3Operation;
  partNumber?: number;
}

export class FaultInjector {
  private rules: FaultRule[] = [];

  /** How a `delay` fault waits; a test may replace it to hold a request without real time. */
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms));

  add(rule: FaultRule): void {
    this.rules.push({ ...rule, match: { ...rule.match } });
  }

  /** Rules not used up yet (a test can wait for a fault to have struck). */
  get pending(): number {
    return this.rules.length;
  }

  clear(): void {
    this.rules = [];
  }

  /** The action for this request, consuming one use of the first matching rule. */
  take(req: FaultRequest): FaultAction | undefined {
    const i = this.rules.findIndex(
      ({ match: m }) =>
        (!m.method || m.method.toUpperCase() === req.method) &&
        (!m.bucket || m.bucket === req.bucket) &&
        (!m.keyPrefix || req.key.startsWith(m.keyPrefix)) &&
        (!m.operation || m.operation === req.operation) &&
        (m.partNumber === undefined || m.partNumber === req.partNumber),
    );
    if (i < 0) return undefined;
    const rule = this.rules[i];
    if (rule.times !== undefined && --rule.times <= 0) this.rules.splice(i, 1);
    return rule.action;
  }
}
