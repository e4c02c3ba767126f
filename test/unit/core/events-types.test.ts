/**
 * Type-level guarantees of the event registry, checked by `npm run typecheck` (tsconfig.json
 * includes test/): each `@ts-expect-error` line must fail to compile, or the directive itself is
 * an error. Jest runs the same calls against a memory logger and a typed emitter, so the file
 * also asserts what the accepted calls do.
 */
import { MemoryLogger } from '../../../src/adapters/memory/logger.js';
import type { ClientEvent } from '../../../src/core/api.js';
import { storeEvents } from '../../../src/core/events/store-events.js';
import type { Logger } from '../../../src/core/ports.js';

/** Calls that must not compile (never run: some would log nonsense). */
function refused(log: Logger): void {
  // @ts-expect-error -- an undeclared name
  log.log('info', 'process.deadd', { attempt: 1, error: 'x' });
  // @ts-expect-error -- a level the event is not declared at (process.dead is an error)
  log.log('info', 'process.dead', { attempt: 1, error: 'x' });
  // @ts-expect-error -- a field of the wrong type
  log.log('error', 'process.dead', { attempt: '1', error: 'x' });
  // @ts-expect-error -- a required field missing (the RigBytesToday metric reads rigBytesToday)
  log.log('info', 'api.quota.charged', { key: 'k', bytes: 1, day: '2026-01-01', rigObjectsToday: 1 });
  // @ts-expect-error -- a field the event does not declare
  log.log('info', 'local.up', { api: 'a', s3: 's', dataDir: 'd', password: 'p' });
  // @ts-expect-error -- fields are required when the event declares some
  log.log('warn', 'pull.retry');
  const name: string = 'api.commit';
  // @ts-expect-error -- any string is not a name
  log.log('info', name, { sessionId: 's', status: 'committed', files: 1, bytes: 1 });
  // @ts-expect-error -- a rig event that is not declared cannot be spooled
  const e: ClientEvent = { time: 't', level: 'info', event: 'session.seen', data: { session: 's' } };
  // @ts-expect-error -- a declared rig event with the wrong data
  const f: ClientEvent = { time: 't', level: 'info', event: 'rig.heartbeat', data: { queued: 'many' } };
  const store = storeEvents();
  // @ts-expect-error -- the store announces object-created only
  store.on('object-removed', () => undefined);
  // @ts-expect-error -- object-created's payload has a key, not a name
  store.on('object-created', (x) => x.name);
  void [e, f];
}

describe('typed events', () => {
  it('accept a declared name at a declared level with its fields, and nothing else compiles', () => {
    const log = new MemoryLogger();
    log.log('error', 'process.dead', { attempt: 3, error: 'boom' });
    log.log('info', 'local.down');
    log.log(Math.random() > 2 ? 'info' : 'warn', 'process.done', { outputs: 2 });
    expect(log.entries.map((e) => `${e.level} ${e.event}`)).toEqual(['error process.dead', 'info local.down', 'warn process.done']);
    expect(typeof refused).toBe('function');
  });

  it("hand the store's object-created payload to its listeners, typed", () => {
    const store = storeEvents();
    const keys: string[] = [];
    const off = store.on('object-created', (e) => keys.push(`${e.bucket}/${e.key} ${e.size}`));
    store.on('object-created', () => {
      throw new Error('a failing listener is its own problem');
    });
    expect(store.emit('object-created', { bucket: 'raw', key: 'a+b.bin', size: 3, etag: 'e' })).toBe(2);
    off();
    store.emit('object-created', { bucket: 'raw', key: 'c.bin', size: 1, etag: 'e' });
    expect(keys).toEqual(['raw/a+b.bin 3']);
    expect(store.listenerCount('object-created')).toBe(1);
  });
});
