import { ManualClock } from '../../../src/adapters/memory/clock.js';
import { MemoryLogger } from '../../../src/adapters/memory/logger.js';
import type { SessionRef } from '../../../src/core/layout.js';
import { attempt, onObjectCreated } from '../../../src/features/process/consumer-handlers.js';
import type { ProcessOutcome } from '../../../src/features/process/process-session.js';
import { SessionQueue } from '../../../src/features/process/session-queue.js';

const ref = (session: string): SessionRef => ({ rig: 'rig-a', session });

/** The local consumer's parts (src/features/process/local-consumer.ts), each on its own and given only what it needs. */
describe('the local consumer', () => {
  it('queues a session once however often it is announced, and works one session at a time', async () => {
    // Prepare
    const order: string[] = [];
    let running = 0;
    let most = 0;
    const q = new SessionQueue(async (r) => {
      most = Math.max(most, ++running);
      order.push(r.session);
      await new Promise((res) => setImmediate(res));
      running--;
    });
    // Act
    for (const s of ['20210101_100000', '20210101_100000', '20210102_100000', '20210101_100000']) q.enqueue(ref(s));
    await q.idle();
    // Assess: the first started at once; its repeats announced while it ran are queued once, behind it.
    expect(order).toEqual(['20210101_100000', '20210101_100000', '20210102_100000']);
    expect(most).toBe(1);
    await q.close();
  });

  it('routes only manifests of the raw bucket to the queue', () => {
    const queued: SessionRef[] = [];
    const handle = onObjectCreated({ rawBucket: 'raw', schedule: { enqueue: (r) => queued.push(r) } });
    handle({ bucket: 'lake', key: 'raw/rig-a/20210101_100000/_manifest.json' });
    handle({ bucket: 'raw', key: 'raw/rig-a/20210101_100000/data.bin' });
    handle({ bucket: 'raw', key: 'raw/rig-a/20210101_100000/_manifest.json' });
    expect(queued).toEqual([ref('20210101_100000')]);
  });

  it.each([
    ['a failed attempt comes back after the ledger backoff', { status: 'failed', attempts: 2 }, [4000]],
    ['a session another worker holds is looked at again when its lease ends', { status: 'busy', holder: { until: '2026-01-01T00:01:00.000Z' } }, [60_050]],
    ['a done session is not scheduled again', { status: 'done' }, []],
  ])('%s', async (_what, outcome, delays) => {
    const later: number[] = [];
    const run = attempt({
      run: async () => outcome as ProcessOutcome,
      schedule: { later: (_r, ms) => later.push(ms) },
      clock: new ManualClock('2026-01-01T00:00:00.000Z'),
      logger: new MemoryLogger(),
      retryBaseMs: 1000,
    });
    await run(ref('20210101_100000'));
    expect(later).toEqual(delays);
  });

  it('logs an attempt that crashed instead of throwing, so the queue goes on', async () => {
    const logger = new MemoryLogger();
    const run = attempt({
      run: async () => Promise.reject(new Error('boom')),
      schedule: { later: () => undefined },
      clock: new ManualClock(),
      logger,
      retryBaseMs: 1000,
    });
    await expect(run(ref('20210101_100000'))).resolves.toBeUndefined();
    expect(logger.entries.map((e) => [e.event, e.fields.error])).toEqual([['process.crashed', 'boom']]);
  });
});
