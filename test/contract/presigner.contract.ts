/**
 * The Presigner contract (src/backend/ports.ts): the same inputs give requests that the store
 * accepts or refuses alike, with the same error codes. Each adapter comes with the store that
 * judges its requests: the S3 presigner with the real verifying gateway (presigner-gateway.test.ts),
 * the memory presigner with its own `send` (presigner-memory.test.ts), so a handler test on the
 * memory fake cannot pass a request the gateway would refuse, or the other way round.
 */
import { createHash } from 'node:crypto';
import type { PresignedRequest } from '../../src/core/api.js';
import type { Presigner } from '../../src/backend/ports.js';
import { checksumOf } from '../../src/adapters/memory/presigner.js';

export interface PresignerHarness {
  presigner: Presigner;
  /** Sends a presigned request as the rig does (with the signed headers unless others are given); rejects with a RecpipeError. */
  send(req: PresignedRequest, body: Buffer, headers?: Record<string, string>): Promise<void>;
  /** The object stored under `key`, if any. */
  stored(key: string): Promise<Buffer | undefined>;
  /** Moves the store's clock past the expiry of every request signed so far. */
  expire(): void;
}

const sha = (b: Buffer) => ({ algorithm: 'SHA256' as const, value: checksumOf(b, 'SHA256') });
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const crc = (b: Buffer) => ({ algorithm: 'CRC32C' as const, value: checksumOf(b, 'CRC32C') });
let n = 0;
/** A fresh raw key per test, with a name that needs encoding. */
const key = () => `raw/rig-a/20210101_100000/file ${++n} é+.bin`;

export function describePresignerContract(name: string, open: () => Promise<PresignerHarness>): void {
  describe(`Presigner contract: ${name}`, () => {
    let h: PresignerHarness;
    beforeEach(async () => {
      h = await open();
    });

    it.each(['SHA256', 'CRC32C'] as const)('a PUT with the signed length and %s stores exactly the bytes', async (algorithm) => {
      const k = key();
      const body = Buffer.from(`bytes of ${k}`);
      const req = await h.presigner.presignPut({ key: k, size: body.length, checksum: algorithm === 'SHA256' ? sha(body) : crc(body), expiresInSec: 600 });
      await h.send(req, body);
      expect(await h.stored(k)).toEqual(body);
    });

    it('refuses other bytes of the signed length (integrity) and stores nothing', async () => {
      const k = key();
      const body = Buffer.from('the real bytes');
      const req = await h.presigner.presignPut({ key: k, size: body.length, checksum: sha(body), expiresInSec: 600 });
      await expect(h.send(req, Buffer.from('the fake bytes'))).rejects.toMatchObject({ code: 'integrity', retryable: false });
      expect(await h.stored(k)).toBeUndefined();
    });

    it('refuses a request whose signed checksum header was changed (forbidden)', async () => {
      const k = key();
      const body = Buffer.from('the real bytes');
      const fake = Buffer.from('the fake bytes');
      const req = await h.presigner.presignPut({ key: k, size: body.length, checksum: sha(body), expiresInSec: 600 });
      await expect(h.send(req, fake, { ...req.headers, 'x-amz-checksum-sha256': sha(fake).value })).rejects.toMatchObject({ code: 'forbidden' });
      expect(await h.stored(k)).toBeUndefined();
    });

    it('never overwrites: a second PUT to the key is a conflict and the first bytes stay', async () => {
      const k = key();
      const first = Buffer.from('first');
      const second = Buffer.from('other');
      await h.send(await h.presigner.presignPut({ key: k, size: 5, checksum: sha(first), expiresInSec: 600 }), first);
      const again = await h.presigner.presignPut({ key: k, size: 5, checksum: sha(second), expiresInSec: 600 });
      await expect(h.send(again, second)).rejects.toMatchObject({ code: 'conflict' });
      expect(await h.stored(k)).toEqual(first);
    });

    it('refuses an expired request as expired (token_expired: presign it again)', async () => {
      const k = key();
      const body = Buffer.from('late');
      const req = await h.presigner.presignPut({ key: k, size: body.length, checksum: sha(body), expiresInSec: 60 });
      h.expire();
      await expect(h.send(req, body)).rejects.toMatchObject({ code: 'token_expired', retryable: true });
      expect(await h.stored(k)).toBeUndefined();
    });

    it('assembles a multipart upload from parts sent with their CRC32C and a presigned completion', async () => {
      const k = key();
      const parts = [Buffer.alloc(3000, 1), Buffer.alloc(1000, 2)];
      const { uploadId } = await h.presigner.startMultipart(k);
      const done = [];
      for (const [i, body] of parts.entries()) {
        const req = await h.presigner.presignPart({ key: k, uploadId, partNumber: i + 1, size: body.length, checksum: crc(body), expiresInSec: 600 });
        await h.send(req, body);
        done.push({ partNumber: i + 1, etag: `"${md5(body)}"`, checksum: crc(body) });
      }
      const complete = await h.presigner.presignComplete({ key: k, uploadId, parts: done, expiresInSec: 600 });
      expect(complete.method).toBe('POST');
      await h.send(complete, Buffer.from(complete.body ?? ''));
      expect(await h.stored(k)).toEqual(Buffer.concat(parts));
    });

    it('an aborted upload takes no part and no completion (not_found); aborting it again, or an unknown upload, is quiet', async () => {
      const k = key();
      const body = Buffer.alloc(10, 4);
      const { uploadId } = await h.presigner.startMultipart(k);
      const part = (n: number) => h.presigner.presignPart({ key: k, uploadId, partNumber: n, size: 10, checksum: crc(body), expiresInSec: 600 });
      await h.send(await part(1), body);
      const complete = await h.presigner.presignComplete({
        key: k,
        uploadId,
        parts: [{ partNumber: 1, etag: `"${md5(body)}"`, checksum: crc(body) }],
        expiresInSec: 600,
      });
      await h.presigner.abortMultipart(k, uploadId);
      await expect(h.send(await part(2), body)).rejects.toMatchObject({ code: 'not_found' });
      await expect(h.send(complete, Buffer.from(complete.body ?? ''))).rejects.toMatchObject({ code: 'not_found' });
      await h.presigner.abortMultipart(k, uploadId);
      await h.presigner.abortMultipart(k, 'no-such-upload-id');
      expect(await h.stored(k)).toBeUndefined();
    });

    it('answers not_found for an unknown upload and conflict for a completion onto an existing key', async () => {
      const k = key();
      await expect(h.presigner.completeMultipart(k, 'no-such-upload-id', [])).rejects.toMatchObject({ code: 'not_found' });
      const first = Buffer.from('first');
      await h.send(await h.presigner.presignPut({ key: k, size: 5, checksum: sha(first), expiresInSec: 600 }), first);
      const { uploadId } = await h.presigner.startMultipart(k);
      const body = Buffer.alloc(10, 3);
      await h.send(await h.presigner.presignPart({ key: k, uploadId, partNumber: 1, size: 10, checksum: crc(body), expiresInSec: 600 }), body);
      const etag = `"${md5(body)}"`;
      await expect(h.presigner.completeMultipart(k, uploadId, [{ partNumber: 1, etag, checksum: crc(body) }])).rejects.toMatchObject({ code: 'conflict' });
      expect(await h.stored(k)).toEqual(first);
    });
  });
}
