/** --bwlimit writes a body in hundreds of slices, each waiting for drain: no listener may be left behind. */
import { EventEmitter } from 'node:events';
import { drainOrClose } from '../../../src/features/ingest/put-transport.js';

describe('drainOrClose', () => {
  it('leaves no drain or close listener behind after a thousand waits', async () => {
    const req = new EventEmitter();
    for (let i = 0; i < 1000; i++) {
      const waited = drainOrClose(req as never);
      req.emit('drain');
      await waited;
    }
    expect(req.listenerCount('close')).toBe(0);
    expect(req.listenerCount('drain')).toBe(0);
  });

  it('ends the wait when the request closes instead of draining', async () => {
    const req = new EventEmitter();
    const waited = drainOrClose(req as never);
    req.emit('close');
    await expect(waited).resolves.toBeUndefined();
    expect(req.listenerCount('drain')).toBe(0);
  });
});
