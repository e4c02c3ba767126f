/**
 * S3's rule that the stand-in must hold: a PUT is answered once the object is stored, a GET
 * after it reads that object (strong read-after-write consistency), and an object is replaced
 * whole, never mixed with another write of the key.
 *
 * s3rver 3.7's filesystem store breaks it: `putObject` resolves when the body was handed to a
 * write stream, before the bytes are in the file, and writes over the object's file in place. A
 * GET right after the PUT could read old or partial bytes, and a second PUT of the key (a ledger
 * rewritten by the next step of processing) could start while the first was still writing: two
 * file descriptors writing one file left the new JSON followed by the old one's tail
 * ("Unexpected non-whitespace character after JSON"), which is how `verify` lost its report
 * under load. Here each object is written to a file in the stack's tmp folder (cleared at start),
 * closed, then renamed over the object: the PUT is answered only after that.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** The part of s3rver's FilesystemStore this replaces a method of. */
export interface S3rverStore {
  getResourcePath(bucket: string, key: string, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5: string): Promise<void>;
  putObject(object: S3rverObject): Promise<{ size: number; md5: string }>;
}

interface S3rverObject {
  bucket: string;
  key: string;
  content: Buffer | Readable;
  metadata: Record<string, string>;
}

/** Makes `store.putObject` (and the multipart completion, which calls it) write whole objects, answered once stored. */
export function storeWholeObjects(store: S3rverStore, tmpDir: string): void {
  store.putObject = async (object) => {
    const target = store.getResourcePath(object.bucket, object.key, 'object');
    await mkdir(dirname(target), { recursive: true });
    const temp = join(tmpDir, `object-${randomBytes(8).toString('hex')}`);
    const md5 = createHash('md5');
    let size = 0;
    const count = new Transform({
      transform(chunk: Buffer, _enc, done) {
        md5.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    try {
      const source = Buffer.isBuffer(object.content) ? [object.content] : object.content;
      // pipeline resolves once the file is closed: every byte is in it.
      await pipeline(source, count, createWriteStream(temp));
      await rename(temp, target);
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    }
    const digest = md5.digest('hex');
    await store.putMetadata(object.bucket, object.key, object.metadata, digest);
    return { size, md5: digest };
  };
}
