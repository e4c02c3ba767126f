import { getEventListeners } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientEvent } from '../../../src/core/api.js';
import { silentReporter, type Clock, type IngestApi } from '../../../src/core/ports.js';
import { fingerprint, type Snapshot } from '../../../src/core/watch/readiness.js';
import { systemClock } from '../../../src/adapters/system/clock.js';
import { nullLogger } from '../../../src/adapters/log/file-logger.js';
import { JournalStore } from '../../../src/adapters/fs/journal-store.js';
import { runWatch } from '../../../src/features/watch/daemon.js';
import type { FolderView } from '../../../src/features/watch/folders.js';
import type { WatchLoop } from '../../../src/features/watch/watch-loop.js';
import type { WatchState, WatchStore } from '../../../src/features/watch/state.js';

const DAY = 86_400_000;
/** A clock whose sleep moves time on at once and lets the test look around between polls. */
class SteppingClock implements Clock {
  t = Date.parse('2026-01-01T00:00:00Z');
  polls = 0;
  constructor(private readonly onPoll: (clock: SteppingClock) => void) {}
  now(): Date {
    return new Date(this.t);
  }
  async sleep(ms: number): Promise<void> {
    this.t += ms;
    this.polls++;
    this.onPoll(this);
  }
}

class MemoryStore implements WatchStore {
  events: ClientEvent[] = [];
  sent = 0;
  constructor(private readonly state: WatchState) {}
  async load() {
    return this.state;
  }
  async save() {}
  async addEvent(e: ClientEvent) {
    this.events.push(e);
  }
  async flushEvents(send: (events: ClientEvent[]) => Promise<void>) {
    const batch = this.events.splice(0);
    await send(batch);
    this.sent += batch.length;
    return batch.length;
  }
}

describe('watch daemon over a month of polling (fake clock)', () => {
  it('keeps one abort listener on its signal and a flat footprint for 30 days at default settings', async () => {
    // Prepare: two uploaded sessions, one folder still without metadata, default quiet period (30 s).
    const dir = mkdtempSync(join(tmpdir(), 'rp-soak-'));
    const snaps: Record<string, Snapshot> = {
      '20260101_090000': {
        files: [
          { name: 'metadata.txt', size: 10, mtimeMs: 1 },
          { name: 'a.bin', size: 5, mtimeMs: 1 },
        ],
      },
      '20260101_100000': { files: [{ name: 'metadata.txt', size: 10, mtimeMs: 1 }] },
      '20260101_110000': { files: [{ name: 'a.bin', size: 5, mtimeMs: 1 }] },
    };
    const folders: FolderView = { sessionFolders: async () => Object.keys(snaps), snapshot: async (n) => snaps[n] };
    const at = '2026-01-01T00:00:00.000Z';
    const state: WatchState = {
      root: dir,
      sessions: {
        '20260101_090000': { state: 'uploaded', fingerprint: fingerprint(snaps['20260101_090000']), updatedAt: at },
        '20260101_100000': { state: 'uploaded', fingerprint: fingerprint(snaps['20260101_100000']), updatedAt: at },
      },
    };
    const store = new MemoryStore(state);
    const ac = new AbortController();
    let loop: WatchLoop | undefined;
    const daily: { listeners: number; footprint: Record<string, number>; spooled: number }[] = [];
    const start = Date.parse('2026-01-01T00:00:00Z');
    const clock = new SteppingClock((c) => {
      if (c.t - start >= daily.length * DAY)
        daily.push({ listeners: getEventListeners(ac.signal, 'abort').length, footprint: loop!.footprint(), spooled: store.events.length });
      if (c.t - start >= 30 * DAY) ac.abort();
    });
    const api = {
      authenticate: async () => ({ token: 't', rig: 'rig-01', expiresAt: new Date(clock.t + 3_600_000).toISOString() }),
      sendEvents: async () => undefined,
    } as unknown as IngestApi;
    try {
      // Act
      await runWatch({
        root: dir,
        home: dir,
        api,
        apiKey: 'k',
        journals: new JournalStore(dir, nullLogger),
        logger: nullLogger,
        reporter: silentReporter,
        signal: ac.signal,
        once: false,
        quietMs: 30_000,
        upload: { partSize: 8 << 20, multipartThreshold: 8 << 20, concurrency: 2 },
        clock,
        store,
        folders,
        onStart: (l) => (loop = l),
      });
      // Assess: 5 s polls for 30 days, one listener (the loop's own) the whole time, nothing growing.
      expect(clock.polls).toBeGreaterThanOrEqual((30 * DAY) / 5000);
      expect(daily.length).toBe(31);
      expect(new Set(daily.map((d) => d.listeners))).toEqual(new Set([1]));
      expect(daily.every((d) => JSON.stringify(d.footprint) === JSON.stringify(daily[0].footprint))).toBe(true);
      expect(daily[0].footprint).toEqual({ observations: 3, queue: 0, retryAt: 0, sessions: 3 });
      expect(Math.max(...daily.map((d) => d.spooled))).toBeLessThanOrEqual(1);
      expect(store.sent).toBeGreaterThanOrEqual(30 * 24 * 60);
      expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('systemClock.sleep', () => {
  it('leaves no abort listener behind when its timer fires', async () => {
    const ac = new AbortController();
    for (let i = 0; i < 20; i++) await systemClock.sleep(0, ac.signal);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
  });

  it('still ends early on abort, with the signal’s reason', async () => {
    const ac = new AbortController();
    const waiting = systemClock.sleep(60_000, ac.signal);
    ac.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
  });
});
