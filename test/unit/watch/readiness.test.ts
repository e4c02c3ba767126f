import { backoffMs, fingerprint, observe, readiness } from '../../../src/core/watch/readiness.js';
import { isMetadataFileName } from '../../../src/core/session/metadata.js';

const opts = { quietMs: 30_000, isMetadata: isMetadataFileName };
const snap = (files: [string, number, number][]) => ({ files: files.map(([name, size, mtimeMs]) => ({ name, size, mtimeMs })) });

describe('readiness gate', () => {
  it('waits for the metadata file, then for the quiet period', () => {
    const s1 = snap([['data.bin', 10, 0]]);
    expect(readiness(s1, observe(undefined, s1, 0), 100_000, opts)).toEqual({
      ready: false,
      reason: 'no metadata yet'.replace('metadata yet', 'metadata file yet'),
    });
    const s2 = snap([
      ['data.bin', 10, 0],
      ['metadata.txt', 5, 0],
    ]);
    const o2 = observe(undefined, s2, 100_000);
    expect(readiness(s2, o2, 110_000, opts).ready).toBe(false);
    expect(readiness(s2, o2, 130_000, opts).ready).toBe(true);
  });

  it('restarts the quiet period when anything changes, even with old mtimes (copied files)', () => {
    const a = snap([
      ['data.bin', 10, 0],
      ['metadata.txt', 5, 0],
    ]);
    const b = snap([
      ['data.bin', 20, 0],
      ['metadata.txt', 5, 0],
    ]);
    const oa = observe(undefined, a, 0);
    const ob = observe(oa, b, 40_000);
    expect(ob.since).toBe(40_000);
    expect(readiness(b, ob, 50_000, opts).ready).toBe(false);
    expect(observe(ob, b, 60_000)).toBe(ob);
    expect(fingerprint(a)).not.toBe(fingerprint(b));
  });

  it('treats a recent mtime as activity even on the first look (a daemon started mid-write)', () => {
    const s = snap([
      ['data.bin', 10, 99_000],
      ['metadata.txt', 5, 0],
    ]);
    expect(readiness(s, observe(undefined, s, 0), 100_000, opts).ready).toBe(false);
  });

  it('accepts the rig marker file at once', () => {
    const s = snap([
      ['data.bin', 10, 99_999],
      ['DONE', 0, 99_999],
    ]);
    expect(readiness(s, observe(undefined, s, 99_999), 100_000, { ...opts, markerFile: 'DONE' }).ready).toBe(true);
  });

  it('with a marker file configured, never takes a folder without it, however long it was quiet', () => {
    const s = snap([
      ['data.bin', 10, 0],
      ['metadata.txt', 5, 0],
    ]);
    expect(readiness(s, observe(undefined, s, 0), 10 * 86_400_000, { ...opts, markerFile: 'DONE' })).toEqual({
      ready: false,
      reason: 'waiting for the marker file DONE',
    });
  });

  it('backs off exponentially with jitter, bounded', () => {
    expect(backoffMs(1, () => 1)).toBe(2000);
    expect(backoffMs(3, () => 1)).toBe(8000);
    expect(backoffMs(40, () => 1)).toBe(300_000);
    expect(backoffMs(5, () => 0)).toBe(0);
  });
});
