import { MIN_SAMPLES } from '../../../src/core/ingest/part-size.js';
import { largePartMiB } from '../../../src/features/ingest/engine-options.js';
import { PartSizer } from '../../../src/features/ingest/part-sizer.js';

/** Lets the promises settled so far run their callbacks. */
const tick = () => new Promise((r) => setImmediate(r));

const MiB = 1024 * 1024;

/** A sizer on a fake millisecond clock. */
function sizer() {
  let now = 0;
  const s = new PartSizer(6 * MiB, 16 * MiB, 96 * MiB, () => now);
  return { s, advance: (ms: number) => (now += ms) };
}

describe('the part size of the files of an upload', () => {
  it('is chosen from the first PUTs: large when they show the link is not the limit', async () => {
    const { s, advance } = sizer();
    let chosen: number | undefined;
    void s.chosen().then((c) => (chosen = c));
    // As on loopback: PUTs start one after another as their parts are read, each answered 45 ms later.
    expect(s.starting()).toBe(0);
    for (let k = 0; k < MIN_SAMPLES; k++) {
      advance(k === 0 ? 45 : 40);
      s.sent(6 * MiB, 40 * k);
    }
    await tick();
    expect(chosen).toBe(16 * MiB);
    expect(s.choice).toBe(16 * MiB);
    expect(await s.chosen()).toBe(16 * MiB);
  });

  it('keeps files small on a link that caps each connection', async () => {
    const { s, advance } = sizer();
    const starts = Array.from({ length: MIN_SAMPLES }, () => s.starting());
    advance(250);
    for (const t of starts) s.sent(6 * MiB, t);
    expect(await s.chosen()).toBe(6 * MiB);
  });

  it('has nothing to choose when the large size is not larger', async () => {
    const s = new PartSizer(16 * MiB, 16 * MiB, 96 * MiB, () => 0);
    expect(s.choice).toBe(16 * MiB);
    expect(await s.chosen()).toBe(16 * MiB);
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
