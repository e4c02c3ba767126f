/** Snapshot rows, names and comparisons. Pure. */
import { assertSnapshotName, keptOutputKey, snapshotKey, snapshotOfKey, snapshotPinKey } from '../../../src/core/layout.js';
import { diffSnapshots, pinGroups, sameFiles, snapshotRows, summarize, type SnapshotFile } from '../../../src/core/snapshot/rows.js';

const file = (session: string, name: string, sha = 'a', extra: Partial<SnapshotFile> = {}): SnapshotFile => ({
  session_id: `rig-a/${session}`,
  revision: 1,
  pipeline: 'default',
  pipeline_version: '1',
  key: `processed/default/1/rig-a/${session}/${name}`,
  file: name,
  bytes: 10,
  sha256: sha.repeat(64),
  variables: { fatigue: 3, hardware_model: 'NX-200' },
  ...extra,
});

describe('snapshot rows', () => {
  it('are one per file, by key, with the variables split by kind', () => {
    const rows = snapshotRows('v1', '2026-01-01T00:00:00.000Z', 'fatigue>=3', [
      file('20210202_090000', 'b.npy'),
      file('20210201_090000', 'a.npy'),
      file('20210201_090000', 'a.npy'),
    ]);
    expect(rows.map((r) => r.file)).toEqual(['a.npy', 'b.npy']);
    expect(rows[0]).toMatchObject({ snapshot: 'v1', query: 'fatigue>=3', revision: 1, num_vars: { fatigue: 3 }, text_vars: { hardware_model: 'NX-200' } });
    expect(summarize(rows)).toEqual({ name: 'v1', created_at: '2026-01-01T00:00:00.000Z', query: 'fatigue>=3', sessions: 2, files: 2, bytes: 20 });
    expect(pinGroups(rows).map((g) => [g.session_id, g.files.length])).toEqual([
      ['rig-a/20210201_090000', 1],
      ['rig-a/20210202_090000', 1],
    ]);
  });

  it('compare by key and bytes: added, removed, changed, the same', () => {
    const a = snapshotRows('a', 't', 'q', [file('20210201_090000', 'x.npy'), file('20210201_090000', 'y.npy'), file('20210201_090000', 'z.npy')]);
    const b = snapshotRows('b', 't2', 'q2', [file('20210201_090000', 'x.npy'), file('20210201_090000', 'y.npy', 'b'), file('20210202_090000', 'w.npy')]);
    const d = diffSnapshots(a, b);
    expect(d).toEqual({ removed: [a[2].key], added: [b[2].key], changed: [a[1].key], same: 1 });
    expect(
      sameFiles(
        a,
        a.map((r) => ({ ...r, created_at: 'later' })),
      ),
    ).toBe(true);
    expect(sameFiles(a, b)).toBe(false);
  });
});

describe('snapshot names and keys', () => {
  it.each(['v1', 'fatigue-v1', 'set_2.1', '0a'])('accepts %p', (n) => expect(assertSnapshotName(n)).toBe(n));
  it.each(['', 'My Set', 'UPPER', '../x', 'a/b', '-x', '.x', 'x'.repeat(64), 'x\n'])('refuses %p with a one-line reason (exit 2)', (n) => {
    expect(() => assertSnapshotName(n)).toThrow(
      expect.objectContaining({ code: 'invalid_name', message: expect.stringMatching(/^invalid snapshot name .*: use 1-63 lowercase/) }),
    );
  });
  it('builds keys from validated names only', () => {
    expect(snapshotKey('v1')).toBe('catalog/snapshots/v1.json');
    expect(snapshotOfKey('catalog/snapshots/v1.json')).toBe('v1');
    expect(snapshotOfKey('catalog/snapshots/x/../v1.json')).toBeUndefined();
    expect(snapshotPinKey({ rig: 'rig-a', session: '20210201_090000' }, 'default', '1', 'v1')).toBe(
      'catalog/snapshot-pins/default/1/rig-a__20210201_090000/v1.json',
    );
    expect(keptOutputKey('a'.repeat(64))).toBe(`processed/_kept/${'a'.repeat(64)}`);
    expect(() => keptOutputKey('../x')).toThrow();
  });
});
