import { fixedSpread, LoadLimit, Spread, type LoadSampler } from '../../../src/features/pull/spread.js';

/** A sampler that reports the given busy shares, one window of `ms` each call. */
const samples = (busy: number[], ms = 100): LoadSampler => {
  let k = 0;
  return () => {
    const b = busy[Math.min(k++, busy.length - 1)];
    return { activeMs: b * ms, totalMs: ms };
  };
};

describe('LoadLimit: connections joining files, from the event loop load', () => {
  it('starts with none and adds half the maximum per two idle windows, up to the maximum', () => {
    const l = new LoadLimit({ max: 12, sample: samples([0.3]) });
    expect(Array.from({ length: 6 }, () => l.allowed())).toEqual([0, 6, 6, 12, 12, 12]);
  });

  it('adds none while the loop is busy (the bytes come as fast as they can be hashed and written)', () => {
    const l = new LoadLimit({ max: 12, sample: samples([0.97]) });
    expect(Array.from({ length: 5 }, () => l.allowed())).toEqual([0, 0, 0, 0, 0]);
  });

  it('adds none for a single idle window between busy ones (a pause at start-up)', () => {
    const l = new LoadLimit({ max: 12, sample: samples([0.5, 0.9, 0.5, 0.9, 0.5, 0.9]) });
    expect(Array.from({ length: 6 }, () => l.allowed())).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('takes one back only after eight saturated windows in a row, down to none', () => {
    const l = new LoadLimit({ max: 2, sample: samples([0.2, 0.2, ...Array<number>(7).fill(0.99), 0.9, ...Array<number>(16).fill(0.99)]) });
    const seen = Array.from({ length: 26 }, () => l.allowed());
    expect(seen[1]).toBe(1);
    // Seven saturated windows, then one that is not: nothing changes.
    expect(seen.slice(2, 10)).toEqual(Array<number>(8).fill(1));
    expect(seen.slice(10, 18)).toEqual([1, 1, 1, 1, 1, 1, 1, 0]);
    expect(seen.slice(18)).toEqual(Array<number>(8).fill(0));
  });

  it('judges only whole windows: short samples add up before anything changes', () => {
    const l = new LoadLimit({ max: 8, sample: samples([0.1], 30) });
    expect(Array.from({ length: 4 }, () => l.allowed())).toEqual([0, 0, 0, 4]);
  });

  it('allows none when the files in flight already use every connection', () => {
    const l = new LoadLimit({ max: 0, sample: samples([0.1]) });
    expect([l.allowed(), l.allowed(), l.allowed()]).toEqual([0, 0, 0]);
  });
});

describe('Spread: counts the connections that joined against the limit', () => {
  it('lets join up to the limit, and says when more joined than are now allowed', () => {
    const s = fixedSpread(2);
    expect([s.join(), s.join(), s.join()]).toEqual([true, true, false]);
    expect(s.over()).toBe(false);
    s.leave();
    expect(s.join()).toBe(true);
    expect(fixedSpread(0).join()).toBe(false);
  });
});

describe('Spread with a limit that falls', () => {
  it('is over the limit until enough joiners leave', () => {
    let limit = 3;
    const s = new Spread(() => limit);
    expect([s.join(), s.join(), s.join()]).toEqual([true, true, true]);
    limit = 1;
    expect(s.over()).toBe(true);
    s.leave();
    expect(s.over()).toBe(true);
    s.leave();
    expect(s.over()).toBe(false);
    expect(s.join()).toBe(false);
  });
});
