/** Damaged snapshots and pins: a snapshot is refused naming its key and field (a damaged_record in verify); a damaged pin is skipped and processing goes on. */
import { createHash } from 'node:crypto';
import { MemoryObjectStore } from '../../../src/adapters/memory/object-store.js';
import { MemoryLogger } from '../../../src/adapters/memory/logger.js';
import { silentReporter } from '../../../src/core/ports.js';
import { keptOutputKey, snapshotKey, snapshotPinKey } from '../../../src/core/layout.js';
import { reconcile } from '../../../src/core/audit/reconcile.js';
import { gather } from '../../../src/features/audit/gather.js';
import { keepPinnedOutputs } from '../../../src/features/process/keep-pinned.js';
import { readSnapshot } from '../../../src/features/snapshot/snapshot-store.js';
import { tempDir } from '../../helpers/tmp.js';

const row = {
  snapshot: 'v1',
  created_at: '2026-01-01T00:00:00.000Z',
  query: 'rig = a',
  num_vars: {},
  text_vars: {},
  session_id: 'rig-a/20210201_090000',
  revision: null,
  pipeline: 'default',
  pipeline_version: '1',
  key: 'processed/default/1/rig-a/20210201_090000/a.npy',
  file: 'a.npy',
  bytes: 2,
  sha256: 'a'.repeat(64),
};

describe('a damaged snapshot', () => {
  it('is refused naming its key, line and field', async () => {
    const lake = new MemoryObjectStore('lake');
    await lake.put(snapshotKey('v1'), `${JSON.stringify(row)}\n${JSON.stringify({ ...row, bytes: '2' })}\n`);
    await expect(readSnapshot(lake, 'v1')).rejects.toMatchObject({
      code: 'integrity',
      message: `snapshot ${snapshotKey('v1')} cannot be read: line 2: bytes must be a whole number (got "2")`,
    });
  });

  it('is a damaged_record finding in verify, and the audit goes on', async () => {
    const raw = new MemoryObjectStore('raw');
    const lake = new MemoryObjectStore('lake');
    await lake.put(snapshotKey('v1'), JSON.stringify(row).slice(0, 50));
    const input = await gather({
      raw,
      lake,
      home: tempDir('rp-snapdamaged-'),
      scrubBudgetBytes: 0,
      scrubPeriodDays: 30,
      graceMs: 0,
      pipeline: 'default',
      pipelineVersion: '1',
      policy: 'additive',
      reporter: silentReporter,
    });
    const found = reconcile(input).findings.filter((f) => f.category === 'damaged_record');
    expect(found).toEqual([expect.objectContaining({ key: snapshotKey('v1'), message: expect.stringContaining('it is not whole JSON') })]);
  });
});

describe('a damaged snapshot pin', () => {
  it('is logged naming its key and skipped; the other pins are still kept', async () => {
    const ref = { rig: 'rig-a', session: '20210201_090000' };
    const lake = new MemoryObjectStore('lake');
    const sha = createHash('sha256').update('A1').digest('hex');
    await lake.put(row.key, 'A1');
    await lake.put(snapshotKey('v1'), '{}\n');
    await lake.put(snapshotKey('v2'), '{}\n');
    await lake.put(snapshotPinKey(ref, 'default', '1', 'v1'), JSON.stringify({ snapshot: 'v1', files: [{ key: row.key }] }));
    await lake.put(snapshotPinKey(ref, 'default', '1', 'v2'), JSON.stringify({ snapshot: 'v2', files: [{ key: row.key, sha256: sha }] }));
    const log = new MemoryLogger();
    expect(await keepPinnedOutputs(lake, ref, 'default', '1', log, new Date(0))).toBe(1);
    expect((await lake.get(keptOutputKey(sha))).toString()).toBe('A1');
    expect(log.entries.filter((e) => e.event === 'snapshot.pin_damaged').map((e) => e.fields)).toEqual([
      {
        key: snapshotPinKey(ref, 'default', '1', 'v1'),
        error: `snapshot pin ${snapshotPinKey(ref, 'default', '1', 'v1')} cannot be read: files[0].sha256 must be a string (got nothing)`,
      },
    ]);
  });
});
