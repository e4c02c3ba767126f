/**
 * The web view reads through services opened for each read and released after it, so a page
 * served after `recpipe local up` was restarted (on other ports) reads the new stack, not the old.
 */
import { MemoryObjectStore } from '../../../src/adapters/memory/object-store.js';
import { loadConfig } from '../../../src/config/load.js';
import { ProfileSource, type UiPorts } from '../../../src/features/ui/profile-source.js';
import { tempDir } from '../../helpers/tmp.js';

describe('ProfileSource', () => {
  it('opens a set of services for each read and closes it after the read, also a failed one', async () => {
    // Prepare: each set's lake is a new (empty) bucket; the first read's engine fails
    const events: string[] = [];
    let sets = 0;
    const open = () => {
      const n = ++sets;
      events.push(`open ${n}`);
      const ports: UiPorts & { close(): void } = {
        storage: async () => ({ raw: new MemoryObjectStore('raw'), lake: new MemoryObjectStore(`lake-${n}`) }),
        openEngine: () => Promise.reject(new Error(`engine of set ${n} is down`)),
        keyStore: () => Promise.reject(new Error('no keys')),
        close: () => events.push(`close ${n}`),
      };
      return ports;
    };
    const source = new ProfileSource(loadConfig({ env: { RECPIPE_HOME: tempDir('rp-ui-src-') } }).config, open);
    // Act
    await expect(source.sessions([])).rejects.toThrow('engine of set 1 is down');
    const snapshots = await source.snapshots();
    const missing = await source.snapshot('v1');
    // Assess
    expect(snapshots).toEqual([]);
    expect(missing).toBeUndefined();
    expect(events).toEqual(['open 1', 'close 1', 'open 2', 'close 2', 'open 3', 'close 3']);
  });
});
