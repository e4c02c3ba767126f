/** Counters the gateway keeps for tests and benchmarks (bytes received, requests). */
export class GatewayStats {
  private bytes = new Map<string, number>();
  private inFlight = new WeakMap<object, number>();
  readonly requests = new Map<string, number>();

  count(method: string, bucket: string): void {
    const k = `${method} ${bucket}`;
    this.requests.set(k, (this.requests.get(k) ?? 0) + 1);
  }

  /** Called with the running total of one body; adds the increment. */
  received(bucket: string, total: number, body: object = this): void {
    const before = this.inFlight.get(body) ?? 0;
    this.bytes.set(bucket, (this.bytes.get(bucket) ?? 0) + Math.max(0, total - before));
    this.inFlight.set(body, total);
  }

  bytesReceived(bucket?: string): number {
    if (bucket) return this.bytes.get(bucket) ?? 0;
    let n = 0;
    for (const v of this.bytes.values()) n += v;
    return n;
  }

  reset(): void {
    this.bytes.clear();
    this.requests.clear();
  }
}
