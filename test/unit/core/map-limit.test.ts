import { mapLimit } from '../../../src/core/map-limit.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('mapLimit', () => {
  it('keeps input order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (x) => {
      peak = Math.max(peak, ++running);
      await tick(x);
      running--;
      return x * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });

  it('after a failure starts nothing new and settles only when in-flight items are done', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const p = mapLimit([0, 1, 2, 3, 4], 2, async (x) => {
      started.push(x);
      if (x === 0) throw new Error('part 0 failed');
      await tick(30);
      finished.push(x);
      return x;
    });
    await expect(p).rejects.toThrow('part 0 failed');
    // Item 1 was in flight when 0 failed: it finished before the rejection was seen.
    expect(finished).toEqual([1]);
    expect(started).toEqual([0, 1]);
  });
});
