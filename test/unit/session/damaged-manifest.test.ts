/** A damaged stored manifest is refused naming its key and field, and verify reports it as a finding. */
import { MemoryObjectStore } from '../../../src/adapters/memory/object-store.js';
import { manifestKey } from '../../../src/core/layout.js';
import { readRevision } from '../../../src/core/session/revisions.js';
import { readCommittedSessions } from '../../../src/features/audit/read-sessions.js';
import type { AuditInput } from '../../../src/core/audit/audit-input.js';

const REF = { rig: 'rig-a', session: '20210301_100000' };
const GOOD = {
  schema: 'recpipe.manifest/1',
  sessionId: 'rig-a/20210301_100000',
  rig: 'rig-a',
  session: '20210301_100000',
  recordedAt: '2021-03-01T10:00:00',
  metadataFile: 'metadata.txt',
  variables: { numeric: {}, text: {} },
  files: [{ name: 'metadata.txt', role: 'metadata', size: 3, sha256: 'a'.repeat(64) }],
  fileCount: 1,
  totalBytes: 3,
  client: { name: 'recpipe', version: '1', host: 'h', transport: 'api' },
  createdAt: '2021-03-01T10:00:00Z',
};

describe('a damaged stored manifest', () => {
  it('is read when whole, refused naming the key and field when not', async () => {
    const raw = new MemoryObjectStore('raw');
    await raw.put(manifestKey(REF), JSON.stringify(GOOD));
    expect((await readRevision(raw, REF, 1)).manifest.files).toHaveLength(1);
    await raw.put(manifestKey(REF), JSON.stringify({ ...GOOD, files: [{ ...GOOD.files[0], size: '3' }] }));
    await expect(readRevision(raw, REF, 1)).rejects.toMatchObject({
      code: 'integrity',
      message: `session manifest ${manifestKey(REF)} cannot be read: files[0].size must be a whole number (got "3")`,
    });
  });

  it('is a damaged_record finding for verify, the other sessions read', async () => {
    const raw = new MemoryObjectStore('raw');
    const other = { rig: 'rig-a', session: '20210302_100000' };
    await raw.put(manifestKey(REF), JSON.stringify(GOOD).slice(0, 40));
    await raw.put(manifestKey(other), JSON.stringify({ ...GOOD, sessionId: 'rig-a/20210302_100000', session: other.session }));
    const damaged: NonNullable<AuditInput['damaged']> = [];
    const sessions = await readCommittedSessions(raw, await raw.list('raw/'), 'additive', damaged);
    expect([...sessions.keys()]).toEqual(['rig-a/20210302_100000']);
    expect(damaged).toEqual([{ key: manifestKey(REF), sessionId: 'rig-a/20210301_100000', problem: expect.stringContaining('it is not whole JSON') }]);
  });
});
