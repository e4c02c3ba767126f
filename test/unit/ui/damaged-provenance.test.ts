/** A damaged `_provenance.json` is a damaged_record finding on the session page, naming the key; a whole one is shown as it is. */
import { MemoryObjectStore } from '../../../src/adapters/memory/object-store.js';
import { readProvenance } from '../../../src/features/ui/profile-source.js';

const KEY = 'processed/default/1/rig-a/20210201_090000/_provenance.json';
const ID = 'rig-a/20210201_090000';

describe('the web view reading provenance', () => {
  it('shows a whole one, and none when it is missing', async () => {
    const lake = new MemoryObjectStore('lake');
    expect(await readProvenance(lake, KEY, ID)).toEqual({});
    await lake.put(KEY, JSON.stringify({ pipeline: 'default', inputs: [] }));
    expect(await readProvenance(lake, KEY, ID)).toEqual({ provenance: { pipeline: 'default', inputs: [] } });
  });

  it('turns a damaged one into a damaged_record finding naming the key, with the next step', async () => {
    const lake = new MemoryObjectStore('lake');
    await lake.put(KEY, '["not", "an object"]');
    const r = await readProvenance(lake, KEY, ID);
    expect(r.provenance).toBeUndefined();
    expect(r.damaged).toEqual({
      category: 'damaged_record',
      sessionId: ID,
      key: KEY,
      message: `provenance record ${KEY} cannot be read: it must be an object (got an array)`,
      next: expect.stringContaining(`recpipe process --session ${ID}`),
    });
  });
});
