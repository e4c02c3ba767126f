/** Every file a snapshot names is in the lake with the bytes it pinned: at its key, or kept (core/audit/check-snapshots.ts). */
import { checkSnapshots } from '../../../src/core/audit/check-snapshots.js';
import type { ProcessedFileRow } from '../../../src/core/catalog/types.js';
import { keptOutputKey } from '../../../src/core/layout.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const key = 'processed/default/1/rig-a/20210301_120000/data.npy';
const file = { snapshot: 'v1', session_id: 'rig-a/20210301_120000', key, sha256: A, bytes: 10 };
const row = (sha256: string) => ({ key, sha256, bytes: 10 }) as ProcessedFileRow;
const check = (o: { outputs?: [string, number][]; indexed?: string; hashed?: string }) =>
  checkSnapshots({
    snapshotFiles: [file],
    outputs: new Map((o.outputs ?? []).map(([k, size]) => [k, { size }])),
    fileRows: o.indexed ? [row(o.indexed)] : [],
    outputHashes: new Map(o.hashed ? [[key, o.hashed]] : []),
  });

describe('snapshot files', () => {
  it('are there when their key holds the indexed bytes, or when a copy was kept', () => {
    expect(check({ outputs: [[key, 10]], indexed: A })).toEqual([]);
    expect(check({ outputs: [[key, 10]], indexed: A, hashed: A })).toEqual([]);
    expect(
      check({
        outputs: [
          [key, 12],
          [keptOutputKey(A), 10],
        ],
        indexed: B,
      }),
    ).toEqual([]);
    expect(check({ outputs: [[keptOutputKey(A), 10]] })).toEqual([]);
  });

  it('are missing when neither holds them, naming the snapshot, what the key holds now, and a next step', () => {
    const cases = [
      [{ outputs: [[key, 12]] as [string, number][], indexed: B }, /now indexed with SHA-256 bbbbbbbbbbbb\.\.\. \(processed again since\)/],
      [{ indexed: A }, /absent from the lake/],
      [{ outputs: [[key, 9]] as [string, number][], indexed: A }, /9 bytes in the lake/],
      [{ outputs: [[key, 10]] as [string, number][], indexed: A, hashed: B }, /re-hashed to bbbbbbbbbbbb/],
      [{ outputs: [[keptOutputKey(A), 3]] as [string, number][] }, /absent from the lake/],
    ] as const;
    for (const [input, what] of cases) {
      const [f, ...rest] = check(input);
      expect(rest).toEqual([]);
      expect(f).toMatchObject({ category: 'snapshot_file_missing', sessionId: file.session_id, key, message: expect.stringMatching(what) });
      expect(f.message).toContain('snapshot "v1"');
    }
  });

  it('are not checked when the audit read no snapshots', () => {
    expect(checkSnapshots({ outputs: new Map(), fileRows: [], outputHashes: new Map() })).toEqual([]);
  });
});
