import { FairLimiter } from '../../../src/core/fair-limiter.js';
import { RecpipeError } from '../../../src/core/errors.js';

/** Tasks that finish only when the test says so, recording the order they started in. */
function gate() {
  const started: string[] = [];
  const release: (() => void)[] = [];
  const task = (name: string) => () => {
    started.push(name);
    return new Promise<string>((resolve) => release.push(() => resolve(name)));
  };
  /** Finishes the oldest running task and lets the limiter start the next. */
  const step = async () => {
    release.shift()!();
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { started, task, step };
}

describe('FairLimiter', () => {
  it('never runs more than max overall or perKey for one key', async () => {
    const l = new FairLimiter({ max: 3, perKey: 2, maxPendingPerKey: 100 });
    const g = gate();
    const a = l.map('a', ['a1', 'a2', 'a3', 'a4'], (n) => g.task(n)());
    const b = l.map('b', ['b1', 'b2'], (n) => g.task(n)());
    expect(g.started).toEqual(['a1', 'a2', 'b1']);
    while (g.started.length < 6 || l.stats().running > 0) await g.step();
    await expect(a).resolves.toEqual(['a1', 'a2', 'a3', 'a4']);
    await expect(b).resolves.toEqual(['b1', 'b2']);
    expect(l.stats()).toMatchObject({ running: 0, peak: 3, peakPerKey: 2, pending: {} });
  });

  it("serves a late key's first task at the next free slot, not after an earlier key's backlog", async () => {
    const l = new FairLimiter({ max: 2, perKey: 2, maxPendingPerKey: 10_000 });
    const g = gate();
    const flood = l.map(
      'a',
      Array.from({ length: 1000 }, (_, i) => `a${i}`),
      (n) => g.task(n)(),
    );
    const late = l.map('b', ['b0'], (n) => g.task(n)());
    await g.step();
    expect(g.started).toEqual(['a0', 'a1', 'b0']);
    while (l.stats().running > 0) await g.step();
    await expect(late).resolves.toEqual(['b0']);
    await expect(flood).resolves.toHaveLength(1000);
  });

  it('refuses a batch that would pass the per-key pending limit, whole and retryable', async () => {
    const l = new FairLimiter({ max: 1, perKey: 1, maxPendingPerKey: 3 });
    const g = gate();
    const first = l.map('a', ['a0', 'a1'], (n) => g.task(n)());
    const refused = l.map('a', ['x', 'y'], (n) => g.task(n)());
    await expect(refused).rejects.toMatchObject({ code: 'unavailable', retryable: true });
    await expect(refused).rejects.toBeInstanceOf(RecpipeError);
    expect(l.stats().pending).toEqual({ a: 2 });
    const other = l.map('b', ['b0', 'b1', 'b2'], (n) => g.task(n)());
    while (l.stats().running > 0) await g.step();
    await first;
    await expect(other).resolves.toEqual(['b0', 'b1', 'b2']);
    expect(g.started).toEqual(['a0', 'b0', 'a1', 'b1', 'b2']);
  });

  it('starts nothing more of a batch after its first failure, and reports that failure', async () => {
    const l = new FairLimiter({ max: 1, perKey: 1, maxPendingPerKey: 10 });
    const ran: number[] = [];
    const r = l.map('a', [1, 2, 3], async (n) => {
      ran.push(n);
      if (n === 1) throw new Error('boom');
      return n;
    });
    await expect(r).rejects.toThrow('boom');
    expect(ran).toEqual([1]);
    expect(l.stats().pending).toEqual({});
  });

  it('tells a waiter when its state changes', async () => {
    const l = new FairLimiter({ max: 1, perKey: 1, maxPendingPerKey: 10 });
    const changed = l.changed();
    const r = l.map('a', [1], async (n) => n);
    await changed;
    await r;
  });
});
