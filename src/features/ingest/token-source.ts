/**
 * Authenticates lazily and again a minute before expiry or when the API says the token expired.
 * Time comes from the Clock port (the caller's), so a test or a daemon on an injected clock sees
 * tokens age with it.
 *
 * With a `TokenCache` (`recpipe upload` over HTTP: adapters/fs/token-cache.ts), the token of an
 * earlier run is used while it has more than a minute left, and each new one is kept. A kept
 * token the API refuses (its key re-enrolled, the API's secret rotated) is dropped and the call
 * made once more with a fresh token (`dropKept`, used by the upload's retry policy).
 */
import { systemClock } from '../../adapters/system/clock.js';
import type { AuthResponse } from '../../core/api.js';
import { RecpipeError } from '../../core/errors.js';
import type { Clock, IngestApi } from '../../core/ports.js';

/** Where a token outlives the process that got it. */
export interface TokenCache {
  load(): AuthResponse | undefined;
  save(auth: AuthResponse): void;
  drop(): void;
}

const MARGIN_MS = 60_000;

export class TokenSource {
  private current?: AuthResponse;
  private pending?: Promise<AuthResponse>;
  /** The current token came from the cache (not yet vouched for by an answer of this run). */
  private kept = false;
  private looked = false;

  constructor(
    private readonly api: IngestApi,
    private readonly apiKey: string,
    private readonly clock: Pick<Clock, 'now'> = systemClock,
    private readonly cache?: TokenCache,
  ) {}

  async get(): Promise<AuthResponse> {
    if (!this.current && this.cache && !this.looked) {
      this.looked = true;
      const kept = this.cache.load();
      if (kept && this.fresh(kept)) [this.current, this.kept] = [kept, true];
    }
    if (this.current && this.fresh(this.current)) return this.current;
    this.pending ??= this.api.authenticate(this.apiKey).finally(() => (this.pending = undefined));
    this.current = await this.pending;
    this.kept = false;
    this.cache?.save(this.current);
    return this.current;
  }

  invalidate(): void {
    this.current = undefined;
    if (this.kept) this.cache?.drop();
    this.kept = false;
  }

  /** `e` refused a kept token: it is dropped (true), and the caller tries once more with a fresh one. */
  dropKept(e: unknown): boolean {
    if (!this.kept || !(e instanceof RecpipeError) || e.code !== 'auth') return false;
    this.invalidate();
    return true;
  }

  private fresh(a: AuthResponse): boolean {
    return Date.parse(a.expiresAt) - this.clock.now().getTime() > MARGIN_MS;
  }
}
