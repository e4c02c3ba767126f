/** Processing keeps the outputs a snapshot references before writing over them (in-memory store). */
import { createHash } from 'node:crypto';
import { MemoryObjectStore } from '../../../src/adapters/memory/object-store.js';
import { MemoryLogger } from '../../../src/adapters/memory/logger.js';
import { keptOutputKey, snapshotKey, snapshotPinKey } from '../../../src/core/layout.js';
import { keepPinnedOutputs, ORPHAN_PIN_MS } from '../../../src/features/process/keep-pinned.js';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const ref = { rig: 'rig-a', session: '20210201_090000' };
const key = (f: string) => `processed/default/1/rig-a/20210201_090000/${f}`;

async function setUp(snapshotWritten = true) {
  const lake = new MemoryObjectStore('lake');
  await lake.put(key('a.npy'), 'A1');
  await lake.put(key('b.npy'), 'B1');
  const pin = {
    snapshot: 'v1',
    files: [
      { key: key('a.npy'), sha256: sha('A1') },
      { key: key('b.npy'), sha256: sha('OTHER') },
    ],
  };
  await lake.put(snapshotPinKey(ref, 'default', '1', 'v1'), JSON.stringify(pin));
  if (snapshotWritten) await lake.put(snapshotKey('v1'), '{}\n');
  return lake;
}

describe('keeping pinned outputs', () => {
  it('copies each pinned output once, checked against the pinned SHA-256; bytes that are not the pinned ones are not kept', async () => {
    const lake = await setUp();
    const log = new MemoryLogger();
    expect(await keepPinnedOutputs(lake, ref, 'default', '1', log, new Date())).toBe(1);
    expect((await lake.get(keptOutputKey(sha('A1')))).toString()).toBe('A1');
    expect(await lake.head(keptOutputKey(sha('OTHER')))).toBeUndefined();
    expect(log.entries.find((e) => e.event === 'snapshot.keep_failed')?.fields.key).toBe(key('b.npy'));
    // Content-addressed: a second run copies nothing.
    expect(await keepPinnedOutputs(lake, ref, 'default', '1', log, new Date())).toBe(0);
    // Another pipeline version or session has no pins: nothing to do.
    expect(await keepPinnedOutputs(lake, ref, 'default', '2', log, new Date())).toBe(0);
  });

  it('honours a fresh pin whose snapshot is still being written, and ignores one left by a create that stopped long ago', async () => {
    const lake = await setUp(false);
    const log = new MemoryLogger();
    expect(await keepPinnedOutputs(lake, ref, 'default', '1', log, new Date())).toBe(1);
    const stale = await setUp(false);
    expect(await keepPinnedOutputs(stale, ref, 'default', '1', log, new Date(Date.now() + ORPHAN_PIN_MS + 1000))).toBe(0);
  });
});
