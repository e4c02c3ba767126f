/** Counters the gateway keeps for tests and benchmarks (bytes received, requests). */
import type { S3Operation } from './operation.js';

export class GatewayStats {
  private bytes = new Map<string, number>();
  private inFlight = new WeakMap<object, number>();
  /**
   * Authenticated requests, counted under two kinds of key: `"<METHOD> <bucket>"` (e.g.
   * `"PUT recpipe-raw"`) and the S3 operation name (e.g. `"UploadPart"`).
   */
  readonly requests = new Map<string, number>();
  private open = 0;

  /** Requests the gateway is still handling (a test waits for none before it counts afresh). */
  get handling(): number {
    return this.open;
  }

  /** Called when a request arrives and when the gateway is done with it (answered or abandoned). */
  started(): void {
    this.open++;
  }

  finished(): void {
    this.open--;
  }

  count(method: string, bucket: string, operation?: S3Operation): void {
    for (const k of operation ? [`${method} ${bucket}`, operation] : [`${method} ${bucket}`]) {
      this.requests.set(k, (this.requests.get(k) ?? 0) + 1);
    }
  }

  /** Called with the running total of one body; adds the increment. */
  received(bucket: string, total: number, body: object = this, key = ''): void {
    const before = this.inFlight.get(body) ?? 0;
    const id = `${bucket}/${key}`;
    this.bytes.set(id, (this.bytes.get(id) ?? 0) + Math.max(0, total - before));
    this.inFlight.set(body, total);
  }

  /** Body bytes received (valid or not), optionally for one bucket and key prefix. */
  bytesReceived(bucket?: string, keyPrefix = ''): number {
    let n = 0;
    for (const [id, v] of this.bytes) {
      const slash = id.indexOf('/');
      const [b, k] = [id.slice(0, slash), id.slice(slash + 1)];
      if ((bucket === undefined || b === bucket) && k.startsWith(keyPrefix)) n += v;
    }
    return n;
  }

  reset(): void {
    this.bytes.clear();
    this.requests.clear();
  }
}
