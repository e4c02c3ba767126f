import { parseBwlimit, rateAt } from '../../../src/core/ingest/bwlimit.js';
import { Throttle } from '../../../src/features/ingest/throttle.js';
import { ManualClock } from '../../../src/adapters/memory/clock.js';

const MiB = 1024 * 1024;
// Local times, so the tests hold in every time zone (the timetable is in local time, as rclone's).
const at = (h: number, m = 0) => new Date(2026, 0, 1, h, m);

describe('--bwlimit timetable', () => {
  it('parses a fixed rate with rclone units (bare number = KiB/s) and off', () => {
    expect(parseBwlimit('20M')).toEqual([{ minute: 0, rate: 20 * MiB }]);
    expect(parseBwlimit('512')).toEqual([{ minute: 0, rate: 512 * 1024 }]);
    expect(parseBwlimit('1.5G')[0].rate).toBe(1.5 * 1024 * MiB);
    expect(parseBwlimit('off')).toEqual([{ minute: 0, rate: undefined }]);
  });

  it('gives the rate in force at each time of day, wrapping past midnight', () => {
    const t = parseBwlimit('20:00,off 08:00,5M 12:30,10M');
    expect([at(7, 59), at(8), at(12, 29), at(12, 30), at(19, 59), at(20), at(23, 59), at(0)].map((d) => rateAt(t, d))).toEqual([
      undefined,
      5 * MiB,
      5 * MiB,
      10 * MiB,
      10 * MiB,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('refuses what it cannot read, naming the piece and the fix', () => {
    expect(() => parseBwlimit('fast')).toThrow(/--bwlimit "fast": "fast" is not a rate/);
    expect(() => parseBwlimit('25:00,5M')).toThrow(/not a time of day/);
    expect(() => parseBwlimit('Mon-08:00,5M')).toThrow(/HH:MM,RATE/);
    expect(() => parseBwlimit('08:00,5M 08:00,off')).toThrow(/twice/);
    expect(() => parseBwlimit('')).toThrow(/empty/);
  });
});

describe('the bandwidth throttle on a fake clock', () => {
  it('holds the average rate to the cap whatever the slice size', async () => {
    const clock = new ManualClock(at(9));
    const t = new Throttle(parseBwlimit('1M'), clock);
    const start = clock.now().getTime();
    for (let i = 0; i < 40; i++) await t.take(256 * 1024);
    // 10 MiB at 1 MiB/s: 10 s of fake time, less the first slice let through at once.
    expect((clock.now().getTime() - start) / 1000).toBeCloseTo(9.75, 1);
  });

  it('follows the timetable: capped by day, unlimited after 20:00', async () => {
    const clock = new ManualClock(at(19, 59));
    const t = new Throttle(parseBwlimit('08:00,1M 20:00,off'), clock);
    await t.take(120 * MiB);
    const before = clock.now().getTime();
    // The 120 MiB debt would take two minutes at 1 MiB/s; from 20:00 nothing is capped.
    await t.take(MiB);
    const waited = clock.now().getTime() - before;
    expect(waited).toBeGreaterThanOrEqual(60_000);
    expect(waited).toBeLessThanOrEqual(120_000);
    const t2 = clock.now().getTime();
    for (let i = 0; i < 100; i++) await t.take(100 * MiB);
    expect(clock.now().getTime()).toBe(t2);
  });
});
