/** TokenSource reads time from the Clock it is given (the Clock port), not from Date.now. */
import { ManualClock } from '../../../src/adapters/memory/clock.js';
import type { AuthResponse } from '../../../src/core/api.js';
import type { IngestApi } from '../../../src/core/ports.js';
import { RecpipeError } from '../../../src/core/errors.js';
import { TokenSource } from '../../../src/features/ingest/token-source.js';

/** An API that issues `t1`, `t2`, ... each valid 15 minutes from the clock's time. */
function issuer(clock: ManualClock) {
  let n = 0;
  const api = {
    authenticate: async (): Promise<AuthResponse> => ({
      token: `t${++n}`,
      rig: 'rig-a',
      expiresAt: new Date(clock.now().getTime() + 15 * 60_000).toISOString(),
    }),
  } as unknown as IngestApi;
  return { api, issued: () => n };
}

describe('TokenSource', () => {
  it('keeps its token until a minute before expiry on the injected clock, then authenticates again', async () => {
    const clock = new ManualClock('2026-03-01T10:00:00.000Z');
    const { api, issued } = issuer(clock);
    const tokens = new TokenSource(api, 'rpk_x', clock);
    expect((await tokens.get()).token).toBe('t1');
    clock.advance(14 * 60_000 - 1);
    expect((await tokens.get()).token).toBe('t1');
    clock.advance(1);
    expect((await tokens.get()).token).toBe('t2');
    expect(issued()).toBe(2);
  });

  it('shares one authentication between callers, and asks again once invalidated', async () => {
    const clock = new ManualClock();
    const { api, issued } = issuer(clock);
    const tokens = new TokenSource(api, 'rpk_x', clock);
    const [a, b] = await Promise.all([tokens.get(), tokens.get()]);
    expect([a.token, b.token, issued()]).toEqual(['t1', 't1', 1]);
    tokens.invalidate();
    expect((await tokens.get()).token).toBe('t2');
  });

  it('uses a kept token while it has more than a minute left, keeps each new one, and drops a kept one the API refused', async () => {
    const clock = new ManualClock('2026-03-01T10:00:00.000Z');
    const { api, issued } = issuer(clock);
    let stored: AuthResponse | undefined = { token: 'old', rig: 'rig-a', expiresAt: new Date(clock.now().getTime() + 5 * 60_000).toISOString() };
    const cache = { load: () => stored, save: (a: AuthResponse) => (stored = a), drop: () => (stored = undefined) };
    const tokens = new TokenSource(api, 'rpk_x', clock, cache);
    expect([(await tokens.get()).token, issued()]).toEqual(['old', 0]);
    // Refused for something else than the token: kept.
    expect(tokens.dropKept(new RecpipeError('quota', 'full'))).toBe(false);
    expect(tokens.dropKept(new RecpipeError('auth', 'invalid token'))).toBe(true);
    expect(stored).toBeUndefined();
    expect([(await tokens.get()).token, stored?.token]).toEqual(['t1', 't1']);
    // A fresh token is vouched for: an auth error now is the key's, not the cache's.
    expect(tokens.dropKept(new RecpipeError('auth', 'api key revoked'))).toBe(false);
    // A kept token with less than a minute left is not used.
    stored = { token: 'late', rig: 'rig-a', expiresAt: new Date(clock.now().getTime() + 59_000).toISOString() };
    expect((await new TokenSource(api, 'rpk_x', clock, cache).get()).token).toBe('t2');
  });
});
