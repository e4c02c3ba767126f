/**
 * Authenticates lazily and again a minute before expiry or when the API says the token expired.
 * Time comes from the Clock port (the caller's), so a test or a daemon on an injected clock sees
 * tokens age with it.
 */
import { systemClock } from '../../adapters/system/clock.js';
import type { AuthResponse } from '../../core/api.js';
import type { Clock, IngestApi } from '../../core/ports.js';

export class TokenSource {
  private current?: AuthResponse;
  private pending?: Promise<AuthResponse>;

  constructor(
    private readonly api: IngestApi,
    private readonly apiKey: string,
    private readonly clock: Pick<Clock, 'now'> = systemClock,
  ) {}

  async get(): Promise<AuthResponse> {
    if (this.current && Date.parse(this.current.expiresAt) - this.clock.now().getTime() > 60_000) return this.current;
    this.pending ??= this.api.authenticate(this.apiKey).finally(() => (this.pending = undefined));
    this.current = await this.pending;
    return this.current;
  }

  invalidate(): void {
    this.current = undefined;
  }
}
