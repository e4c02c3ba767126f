import { MIN_SAMPLES } from '../../../src/core/ingest/part-size.js';
import { largePartMiB } from '../../../src/ingest/engine-options.js';
import { PartSizer } from '../../../src/ingest/part-sizer.js';

/** Lets the promises settled so far run their callbacks. */
const tick = () => new Promise((r) => setImmediate(r));

const MiB = 1024 * 1024;

/** A sizer on a fake millisecond clock. */
function sizer() {
  let now = 0;
  const s = new PartSizer(6 * MiB, 16 * MiB, 96 * MiB, () => now);
  return { s, advance: (ms: number) => (now += ms) };
}

describe('the part size of each file of an upload', () => {
  it('lets the first file probe at the configured size and gives later files the size chosen from its PUTs', async () => {
    const { s, advance } = sizer();
    expect(await s.forNewFile()).toEqual({ size: 6 * MiB, probe: true });
    let second: number | undefined;
    void s.forNewFile().then((c) => (second = c.size));
    // As on loopback: PUTs start one after another as their parts are read, each answered 45 ms later.
    expect(s.starting()).toBe(0);
    for (let k = 0; k < MIN_SAMPLES; k++) {
      advance(k === 0 ? 45 : 40);
      s.sent(6 * MiB, 40 * k);
    }
    await tick();
    expect(second).toBe(16 * MiB);
    expect(s.choice).toBe(16 * MiB);
    expect(await s.forNewFile()).toEqual({ size: 16 * MiB, probe: false });
  });

  it('keeps files small on a link that caps each connection', async () => {
    const { s, advance } = sizer();
    await s.forNewFile();
    const starts = Array.from({ length: MIN_SAMPLES }, () => s.starting());
    advance(250);
    for (const t of starts) s.sent(6 * MiB, t);
    expect((await s.forNewFile()).size).toBe(6 * MiB);
  });

  it('lets the next file start (and probe on) once the probing file has started all its parts', async () => {
    const { s } = sizer();
    await s.forNewFile();
    const order: string[] = [];
    void s.forNewFile().then((c) => order.push(`second probe=${c.probe}`));
    void s.forNewFile().then((c) => order.push(`third probe=${c.probe}`));
    await tick();
    expect(order).toEqual([]);
    s.probeDone();
    await tick();
    // One of the waiting files probes next; the other waits for it.
    expect(order).toEqual(['second probe=true']);
    s.probeDone();
    await tick();
    expect(order).toEqual(['second probe=true', 'third probe=true']);
  });

  it('has nothing to choose when the large size is not larger', async () => {
    const s = new PartSizer(16 * MiB, 16 * MiB, 96 * MiB, () => 0);
    expect(await s.forNewFile()).toEqual({ size: 16 * MiB, probe: false });
  });
});

describe('the size parts may grow to', () => {
  it('is 16 MiB with the default part size, at most a quarter of the memory budget; a part size set by hand stays as set', () => {
    expect(largePartMiB({ partSizeMiB: 6, uploadMemoryMiB: 96 })).toBe(16);
    expect(largePartMiB({ partSizeMiB: 6, uploadMemoryMiB: 32 })).toBe(8);
    expect(largePartMiB({ partSizeMiB: 6, uploadMemoryMiB: 16 })).toBe(6);
    // The chaos suite's `--part-size-mib 5` bounds what a kill re-sends by 5 MiB parts.
    expect(largePartMiB({ partSizeMiB: 5, uploadMemoryMiB: 96 })).toBe(5);
    expect(largePartMiB({ partSizeMiB: 32, uploadMemoryMiB: 96 })).toBe(32);
  });
});
