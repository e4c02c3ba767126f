import { MemoryObjectStore } from '../../../src/adapters/memory/object-store.js';

describe('MemoryObjectStore follows the ObjectStore contract', () => {
  it('head is undefined and get is not_found for a missing key', async () => {
    const s = new MemoryObjectStore();
    expect(await s.head('nope')).toBeUndefined();
    await expect(s.get('nope')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('put with ifNoneMatch refuses an existing key, ifMatch refuses a stale etag', async () => {
    const s = new MemoryObjectStore();
    const first = await s.put('a', 'one', { ifNoneMatch: true });
    await expect(s.put('a', 'two', { ifNoneMatch: true })).rejects.toMatchObject({ code: 'conflict' });
    await expect(s.put('a', 'two', { ifMatch: '"stale"' })).rejects.toMatchObject({ code: 'conflict' });
    await s.put('a', 'three', { ifMatch: first.etag });
    expect((await s.get('a')).toString()).toBe('three');
  });

  it('lists every key under a prefix, sorted, with sizes; streams ranges', async () => {
    const s = new MemoryObjectStore();
    for (const k of ['p/b', 'p/a', 'q/c', 'p/é x']) await s.put(k, Buffer.from(k));
    expect((await s.list('p/')).map((o) => [o.key, o.size])).toEqual([
      ['p/a', 3],
      ['p/b', 3],
      ['p/é x', 6],
    ]);
    const chunks: Buffer[] = [];
    for await (const c of await s.getStream('p/a', { start: 1, end: 2 })) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('/a');
  });
});
