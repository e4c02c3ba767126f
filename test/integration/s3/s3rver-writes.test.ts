import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { storeWholeObjects, type S3rverStore } from '../../../src/local/s3/s3rver-writes.js';
import { waitFor } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tmp.js';
// @ts-expect-error s3rver ships no types: its store and object model, as service.ts uses them.
import FilesystemStore from 's3rver/lib/stores/filesystem.js';
// @ts-expect-error (the same)
import S3Object from 's3rver/lib/models/object.js';

type Store = S3rverStore & { putBucket(name: string): Promise<void> };
const StoreCtor = FilesystemStore as new (dir: string) => Store;
const object = (key: string, content: Buffer | Readable) =>
  new (S3Object as new (bucket: string, key: string, content: Buffer | Readable, metadata: Record<string, string>) => Parameters<Store['putObject']>[0])(
    'lake',
    key,
    content,
    {},
  );

async function store() {
  const dir = tempDir('rp-s3rver-');
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp);
  const s = new StoreCtor(join(dir, 'store'));
  storeWholeObjects(s, tmp);
  await s.putBucket('lake');
  return { s, tmp, file: (key: string) => readFileSync(s.getResourcePath('lake', key, 'object')) };
}

/**
 * S3's strong read-after-write consistency and whole-object replacement, held by the local
 * stack's store (src/local/s3/s3rver-writes.ts; docs/aws-parity.md). s3rver alone answered a PUT
 * before its bytes were in the file and wrote over the object in place, so two PUTs of a ledger
 * entry in a row could leave one's JSON followed by the other's tail.
 */
describe("the local stack's object store", () => {
  it('answers a PUT only once every byte is in the object, from a buffer or a stream', async () => {
    // Prepare: the metadata write, which used to give the object's bytes time to land, takes none.
    const { s, file } = await store();
    s.putMetadata = async () => undefined;
    const mismatches: number[] = [];
    for (let i = 0; i < 40; i++) {
      const body = Buffer.from(JSON.stringify({ i, pad: 'x'.repeat(i % 2 ? 500 : 300) }));
      // Act
      await s.putObject(object('catalog/ledger/k.json', i % 3 ? body : Readable.from([body.subarray(0, 7), body.subarray(7)])));
      // Assess
      if (!file('catalog/ledger/k.json').equals(body)) mismatches.push(i);
    }
    expect(mismatches).toEqual([]);
  });

  it('keeps the previous object whole while a PUT of the key is writing, then replaces it whole', async () => {
    const { s, tmp, file } = await store();
    await s.putObject(object('k', Buffer.alloc(100, 'o')));
    const body = new PassThrough();
    const put = s.putObject(object('k', body));
    body.write(Buffer.alloc(4000, 'a'));
    // The new bytes are on disk (aside) before the PUT ends: the object is still the old one.
    await waitFor(() => readdirSync(tmp).some((n) => statSync(join(tmp, n)).size === 4000), 10_000, 'the first bytes of the PUT on disk');
    expect(file('k').equals(Buffer.alloc(100, 'o'))).toBe(true);
    body.end(Buffer.alloc(4000, 'a'));
    await put;
    expect(file('k').equals(Buffer.alloc(8000, 'a'))).toBe(true);
    expect(readdirSync(tmp)).toEqual([]);
  });
});
