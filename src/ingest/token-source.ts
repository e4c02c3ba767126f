/** Authenticates lazily and again a minute before expiry or when the API says the token expired. */
import type { AuthResponse } from '../core/api.js';
import type { IngestApi } from '../core/ports.js';

export class TokenSource {
  private current?: AuthResponse;
  private pending?: Promise<AuthResponse>;

  constructor(
    private readonly api: IngestApi,
    private readonly apiKey: string,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<AuthResponse> {
    if (this.current && Date.parse(this.current.expiresAt) - this.now() > 60_000) return this.current;
    this.pending ??= this.api.authenticate(this.apiKey).finally(() => (this.pending = undefined));
    this.current = await this.pending;
    return this.current;
  }

  invalidate(): void {
    this.current = undefined;
  }
}
