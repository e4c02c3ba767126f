import { ManualClock } from '../../src/adapters/memory/clock.js';
import { MemoryObjectStore } from '../../src/adapters/memory/object-store.js';
import { MemoryPresigner } from '../../src/adapters/memory/presigner.js';
import { describePresignerContract } from './presigner.contract.js';

describePresignerContract('MemoryPresigner (its own send plays the store)', async () => {
  const store = new MemoryObjectStore('raw');
  const clock = new ManualClock();
  const presigner = new MemoryPresigner(store, clock);
  return {
    presigner,
    send: async (req, body, headers) => void (await presigner.send(req, body, headers)),
    stored: async (key) => ((await store.head(key)) ? store.get(key) : undefined),
    expire: () => clock.advance(2 * 3600_000),
  };
});
