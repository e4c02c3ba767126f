/**
 * One conformance suite for every ObjectStore adapter (the contract in src/core/ports.ts),
 * run against the S3 adapter on the real local gateway and against the in-memory fake, so
 * a fake can never drift from what the real store does.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { ObjectStore } from '../../src/core/ports.js';

/** Builds the store under test; called once per test, keys are kept apart by a fresh prefix. */
export type ObjectStoreFactory = () => Promise<ObjectStore> | ObjectStore;

export const HOSTILE_KEYS = [
  'hello? sausage/êé/Hello, 世界/"quote"/\'single\'/+plus/%percent/ space',
  'a b+c.bin',
  '%2F-not-a-slash',
  'ümlaut & ampersand=eq;semi',
  'tab-free but (parens) [brackets] {braces} #hash ~tilde !bang *star',
];

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let run = 0;

async function drain(s: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

export function describeObjectStoreContract(name: string, factory: ObjectStoreFactory): void {
  describe(`ObjectStore contract: ${name}`, () => {
    let store: ObjectStore;
    let prefix: string;
    beforeEach(async () => {
      store = await factory();
      prefix = `contract-${process.pid}-${++run}/`;
    });

    it('round-trips bytes bit-identically and reports size and etag', async () => {
      // Prepare
      const body = Buffer.from(Array.from({ length: 100_003 }, (_, i) => (i * 7919) % 256));
      // Act
      const put = await store.put(prefix + 'data.bin', body);
      const head = await store.head(prefix + 'data.bin');
      const got = await store.get(prefix + 'data.bin');
      // Assert
      expect(sha(got)).toBe(sha(body));
      expect(head).toMatchObject({ key: prefix + 'data.bin', size: body.length, etag: put.etag });
      expect(put.etag).toBeTruthy();
    });

    it('stores strings as UTF-8', async () => {
      await store.put(prefix + 'text.json', '{"größe":"世界"}');
      expect((await store.get(prefix + 'text.json')).toString('utf8')).toBe('{"größe":"世界"}');
    });

    it.each(HOSTILE_KEYS.map((k) => [k]))('keeps the hostile key %j exactly', async (key) => {
      // Act
      await store.put(prefix + key, key);
      // Assert
      expect((await store.get(prefix + key)).toString('utf8')).toBe(key);
      expect((await store.head(prefix + key))?.key).toBe(prefix + key);
      expect((await store.list(prefix)).map((o) => o.key)).toEqual([prefix + key]);
    });

    it('answers a missing key: head undefined, get and getStream not_found', async () => {
      expect(await store.head(prefix + 'missing')).toBeUndefined();
      await expect(store.get(prefix + 'missing')).rejects.toMatchObject({ code: 'not_found' });
      await expect(store.getStream(prefix + 'missing')).rejects.toMatchObject({ code: 'not_found' });
    });

    it('streams an inclusive byte range', async () => {
      const body = Buffer.from('0123456789abcdef');
      await store.put(prefix + 'range.bin', body);
      expect((await drain(await store.getStream(prefix + 'range.bin', { start: 3, end: 9 }))).toString()).toBe('3456789');
      expect(await drain(await store.getStream(prefix + 'range.bin'))).toEqual(body);
    });

    it('lists every key under the prefix, sorted, and nothing outside it', async () => {
      // Prepare
      const keys = ['b/2', 'a', 'b/1', 'c d', 'b/10', 'a+'].map((k) => prefix + 'in/' + k);
      for (const k of [...keys].reverse()) await store.put(k, k);
      await store.put(prefix + 'out/a', 'x');
      await store.put(prefix + 'in', 'not under in/');
      // Act
      const listed = await store.list(prefix + 'in/');
      // Assert
      expect(listed.map((o) => o.key)).toEqual([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      expect(listed.find((o) => o.key === prefix + 'in/a')?.size).toBe(Buffer.byteLength(prefix + 'in/a'));
      expect(await store.list(prefix + 'nothing/')).toEqual([]);
    });

    it('put with ifNoneMatch creates once, then refuses with conflict and keeps the first body', async () => {
      await store.put(prefix + 'once', 'first', { ifNoneMatch: true });
      await expect(store.put(prefix + 'once', 'second', { ifNoneMatch: true })).rejects.toMatchObject({ code: 'conflict' });
      expect((await store.get(prefix + 'once')).toString()).toBe('first');
    });

    it('put with ifMatch swaps only the expected version (compare-and-swap)', async () => {
      // Prepare
      const v1 = await store.put(prefix + 'ledger.json', 'v1');
      // Act
      const v2 = await store.put(prefix + 'ledger.json', 'v2', { ifMatch: v1.etag });
      const stale = store.put(prefix + 'ledger.json', 'v3', { ifMatch: v1.etag });
      // Assert
      await expect(stale).rejects.toMatchObject({ code: 'conflict' });
      expect(v2.etag).not.toBe(v1.etag);
      expect((await store.get(prefix + 'ledger.json')).toString()).toBe('v2');
      expect((await store.head(prefix + 'ledger.json'))?.etag).toBe(v2.etag);
      await expect(store.put(prefix + 'absent.json', 'x', { ifMatch: v1.etag })).rejects.toMatchObject({ code: 'conflict' });
      expect(await store.head(prefix + 'absent.json')).toBeUndefined();
    });

    it('putStream stores a small body (one part) and a multipart body bit-identically, with their SHA-256', async () => {
      // Prepare: 6 MiB in 64 KiB chunks -> a 5 MiB part and a 1 MiB last part on S3.
      const big = Buffer.alloc(6 * 1024 * 1024);
      for (let i = 0; i < big.length; i++) big[i] = (i * 31) % 251;
      const chunks = (b: Buffer) =>
        (async function* () {
          for (let o = 0; o < b.length; o += 65_536) yield b.subarray(o, o + 65_536);
        })();
      // Act
      const small = await store.putStream(prefix + 'small.bin', chunks(Buffer.from('tiny body')));
      const multi = await store.putStream(prefix + 'big.npy', chunks(big), { partSizeBytes: 5 * 1024 * 1024 });
      // Assert
      expect(small).toMatchObject({ size: 9, sha256: sha(Buffer.from('tiny body')) });
      expect((await store.get(prefix + 'small.bin')).toString()).toBe('tiny body');
      expect(multi).toMatchObject({ key: prefix + 'big.npy', size: big.length, sha256: sha(big) });
      expect(sha(await drain(await store.getStream(prefix + 'big.npy')))).toBe(sha(big));
      expect(await store.listUploads(prefix)).toEqual([]);
    });

    it('putStream leaves nothing (no object, no open upload) when beforeComplete throws', async () => {
      // Prepare
      const body = (async function* () {
        for (let i = 0; i < 3; i++) yield Buffer.alloc(3 * 1024 * 1024, i);
      })();
      // Act
      const put = store.putStream(prefix + 'lost.bin', body, {
        partSizeBytes: 5 * 1024 * 1024,
        beforeComplete: async () => {
          throw new Error('lease lost');
        },
      });
      // Assert
      await expect(put).rejects.toThrow(/lease lost/);
      expect(await store.head(prefix + 'lost.bin')).toBeUndefined();
      expect(await store.listUploads(prefix)).toEqual([]);
    });

    it('overwrites without conditions', async () => {
      await store.put(prefix + 'over', 'one');
      await store.put(prefix + 'over', 'two!');
      expect((await store.get(prefix + 'over')).toString()).toBe('two!');
      expect((await store.head(prefix + 'over'))?.size).toBe(4);
    });
  });
}
