import { apiFixture } from './fixture.js';
import { EventBudget } from '../../../src/core/token-bucket.js';
import { forwardedRigEvent } from '../../../src/core/events/rig-events.js';

const ev = (over: Record<string, unknown> = {}) => ({
  time: '2026-03-01T10:00:00.000Z',
  level: 'info',
  event: 'session.uploaded',
  sessionId: '20210228_161221',
  message: 'ok',
  data: { session: '20210228_161221' },
  ...over,
});

describe('events', () => {
  it("forwards client events to the cloud log with the token's rig and the session as correlation id", async () => {
    const f = await apiFixture();
    const token = await f.login(f.keyA.apiKey);
    const res = await f.call(
      'POST',
      '/v1/events',
      {
        events: [ev(), ev({ level: 'error', event: 'session.failed', sessionId: 'rig-a/20210228_161222', data: { session: '20210228_161222', code: 'auth' } })],
      },
      token,
    );
    expect(res.json).toEqual({ accepted: 2 });
    expect(f.cloudLog.entries).toEqual([
      {
        level: 'info',
        event: 'client.session.uploaded',
        fields: {
          rig: 'rig-a',
          source: 'client',
          sessionId: 'rig-a/20210228_161221',
          clientTime: '2026-03-01T10:00:00.000Z',
          message: 'ok',
          data: { session: '20210228_161221' },
        },
      },
      {
        level: 'error',
        event: 'client.session.failed',
        fields: {
          rig: 'rig-a',
          source: 'client',
          sessionId: 'rig-a/20210228_161222',
          clientTime: '2026-03-01T10:00:00.000Z',
          message: 'ok',
          data: { session: '20210228_161222', code: 'auth' },
        },
      },
    ]);
    // What the API wrote is what the web view reads, by the same declarations.
    expect(f.cloudLog.entries.map((e) => forwardedRigEvent({ event: e.event, level: e.level, ...e.fields })?.spec.name)).toEqual([
      'session.uploaded',
      'session.failed',
    ]);
  });

  it('refuses (400) an event name no rig event declares, naming it and the declared ones, and logs nothing of the batch', async () => {
    const f = await apiFixture();
    const token = await f.login(f.keyA.apiKey);
    const res = await f.call('POST', '/v1/events', { events: [ev(), ev({ event: 'session.uploded' })] }, token);
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'usage', retryable: false });
    expect(res.json.error.message).toContain('events[1].event is not an event rigs send');
    expect(res.json.error.message).toContain('"session.uploded"');
    expect(f.cloudLog.entries).toEqual([]);
  });

  it.each([
    ['a level the event is not declared at', { level: 'error' }, 'events[0].level must be "info"'],
    ['data missing', { data: undefined }, 'events[0].data must be an object'],
    ['a data field of the wrong type', { data: { session: 20210228 } }, 'events[0].data.session must be a string (got 20210228)'],
    [
      'a required data field missing',
      { event: 'session.failed', level: 'error', data: { session: '20210228_161221' } },
      'events[0].data.code must be a string',
    ],
    ['a heartbeat with a non-number queue', { event: 'rig.heartbeat', data: { queued: 'many' } }, 'events[0].data.queued must be a whole number'],
    ['a message that is not a string', { message: 42 }, 'events[0].message must be a string'],
  ])('refuses (400) a declared event with %s, naming the field', async (_what, over, says) => {
    const f = await apiFixture();
    const token = await f.login(f.keyA.apiKey);
    const res = await f.call('POST', '/v1/events', { events: [ev(over)] }, token);
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain(says);
    expect(f.cloudLog.entries).toEqual([]);
  });

  it('takes data fields a newer rig adds to a declared event (they travel on)', async () => {
    const f = await apiFixture();
    const token = await f.login(f.keyA.apiKey);
    const res = await f.call('POST', '/v1/events', { events: [ev({ data: { session: '20210228_161221', files: 3 } })] }, token);
    expect(res.json).toEqual({ accepted: 1 });
    expect(f.cloudLog.entries[0].fields.data).toEqual({ session: '20210228_161221', files: 3 });
  });

  it('caps the batch at 100 events and the size of each event', async () => {
    const f = await apiFixture();
    const token = await f.login(f.keyA.apiKey);
    const tooMany = await f.call('POST', '/v1/events', { events: Array.from({ length: 101 }, () => ev()) }, token);
    const big = await f.call(
      'POST',
      '/v1/events',
      { events: [ev({ message: 'm'.repeat(20000), data: { session: '20210228_161221', blob: 'x'.repeat(20000) } })] },
      token,
    );
    expect(tooMany.status).toBe(400);
    expect(f.cloudLog.entries).toHaveLength(1);
    expect(big.json).toEqual({ accepted: 1 });
    expect(JSON.stringify(f.cloudLog.entries[0]).length).toBeLessThan(2000);
  });

  it("refuses events naming another rig's session, and malformed events", async () => {
    const f = await apiFixture();
    const token = await f.login(f.keyA.apiKey);
    expect((await f.call('POST', '/v1/events', { events: [ev({ sessionId: 'rig-b/20210228_161221' })] }, token)).status).toBe(403);
    for (const bad of [
      ev({ level: 'fatal' }),
      ev({ event: 'has space' }),
      ev({ event: 'client.session.uploaded' }),
      ev({ time: 5 }),
      ev({ data: [1] }),
      'x',
      ev({ sessionId: 'rig-a/../rig-b/20210228_161221' }),
      ev({ sessionId: 'rig-a/20210228_161221/x' }),
      ev({ sessionId: '../20210228_161221' }),
      ev({ sessionId: 'rig-a/' }),
    ]) {
      expect((await f.call('POST', '/v1/events', { events: [bad] }, token)).status).toBe(400);
    }
    expect(f.cloudLog.entries).toEqual([]);
  });

  it("drops events past the rig's budget, counts them, and takes more as the budget refills", async () => {
    const f = await apiFixture();
    f.deps.eventBudget = new EventBudget({ events: { capacity: 3, perMinute: 2 }, bytes: { capacity: 100_000, perMinute: 100_000 } });
    const [a, b] = [await f.login(f.keyA.apiKey), await f.login(f.keyB.apiKey)];
    const five = { events: Array.from({ length: 5 }, () => ev()) };
    expect((await f.call('POST', '/v1/events', five, a)).json).toEqual({ accepted: 3, dropped: 2 });
    expect((await f.call('POST', '/v1/events', five, a)).json).toEqual({ accepted: 0, dropped: 5 });
    expect((await f.call('POST', '/v1/events', five, b)).json).toEqual({ accepted: 3, dropped: 2 });
    f.clock.advance(60_000);
    expect((await f.call('POST', '/v1/events', five, a)).json).toEqual({ accepted: 2, dropped: 3 });
    expect(f.cloudLog.entries).toHaveLength(3 + 3 + 2);
    expect(f.logger.entries.filter((e) => e.event === 'api.events.over_budget')).toHaveLength(4);
  });

  it('counts bytes too: a few large events spend the budget of many small ones', async () => {
    const f = await apiFixture();
    f.deps.eventBudget = new EventBudget({ events: { capacity: 1000, perMinute: 0 }, bytes: { capacity: 20_000, perMinute: 0 } });
    const token = await f.login(f.keyA.apiKey);
    const big = { events: Array.from({ length: 10 }, () => ev({ message: 'm'.repeat(6000) })) };
    const r = await f.call('POST', '/v1/events', big, token);
    expect(r.json).toEqual({ accepted: 3, dropped: 7 });
  });
});
