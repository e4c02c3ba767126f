/** pull --sync decides from records only: what an earlier pull put there, unchanged, and not wanted now. Pure. */
import { isPulledPath, planSync, type OnDisk, type Pulled } from '../../../src/core/pull/sync-plan.js';

const P = (s: string) => `rig-a/20210201_090000/default/1/${s}`;
const rec = (size: number, mtimeMs?: number): Pulled => ({ sha256: 'a'.repeat(64), size, mtimeMs });

describe('pull --sync plan', () => {
  it('removes what an earlier pull put there and this one does not want, while unchanged', () => {
    const pulled = new Map([
      [P('keep.npy'), rec(10, 1)],
      [P('old.npy'), rec(10, 1)],
      [P('touched.npy'), rec(10, 1)],
      [P('edited.npy'), rec(10, 1)],
      [P('gone.npy'), rec(10, 1)],
      [P('listed.npy'), rec(10)],
    ]);
    const onDisk = new Map<string, OnDisk>([
      [P('keep.npy'), { size: 10, mtimeMs: 1 }],
      [P('old.npy'), { size: 10, mtimeMs: 1 }],
      [P('touched.npy'), { size: 10, mtimeMs: 2 }],
      [P('edited.npy'), { size: 11, mtimeMs: 2 }],
      [P('listed.npy'), { size: 10, mtimeMs: 5 }],
    ]);
    const plan = planSync({ wanted: new Set([P('keep.npy')]), pulled, onDisk });
    expect(plan.remove).toEqual([P('old.npy')]);
    // Same size, other time (or no time on record): hashed before it is removed.
    expect(plan.verify.map((v) => v.path)).toEqual([P('listed.npy'), P('touched.npy')]);
    expect(plan.changed).toEqual([P('edited.npy')]);
  });

  it('never plans a path outside recpipe layout, whatever a manifest says', () => {
    const evil = [
      '../../etc/passwd',
      '/etc/passwd',
      'notes.txt',
      'rig-a/20210201_090000/default/1/../../x',
      'rig-a/20210201_090000/default/1/a.npy.part',
      'Rig/20210201_090000/d/1/a',
    ];
    for (const p of evil) expect(isPulledPath(p)).toBe(false);
    const pulled = new Map(evil.map((p) => [p, rec(1, 1)] as const));
    const onDisk = new Map(evil.map((p) => [p, { size: 1, mtimeMs: 1 }] as const));
    expect(planSync({ wanted: new Set(), pulled, onDisk })).toEqual({ remove: [], verify: [], changed: [] });
    expect(isPulledPath(P('data_00.npy'))).toBe(true);
  });
});
