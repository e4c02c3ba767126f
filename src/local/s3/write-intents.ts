/**
 * s3rver writes an object's file in place, so a stack killed mid-write leaves a short object
 * under the final key, which S3 never shows (an object appears whole or not at all) and which
 * write-once would then defend against every re-upload. The gateway therefore records an intent
 * before each object write to s3rver and drops it once s3rver has answered; an intent found at
 * start-up marks a write that never finished, and its object is removed (startup-cleanup.ts).
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fieldsOf, str } from '../../core/shape.js';
import { storedRecord } from '../../core/stored-record.js';

export interface WriteIntent {
  bucket: string;
  key: string;
}

const INTENT = storedRecord<WriteIntent>({
  what: 'gateway write intent',
  hint: 'nothing to do: the write it announced had not started, and the intent is forgotten',
  shape: fieldsOf<WriteIntent>()({ bucket: str, key: str }),
});

export class WriteIntents {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** One file per key: writes of one key are serialised by the gateway's key locks. */
  private file(bucket: string, key: string): string {
    return join(this.dir, createHash('sha1').update(`${bucket}\n${key}`).digest('hex') + '.json');
  }

  /** Records the write about to start; the returned function forgets it once it has ended. */
  async begin(bucket: string, key: string): Promise<() => Promise<void>> {
    const path = this.file(bucket, key);
    await writeFile(path, JSON.stringify({ bucket, key } satisfies WriteIntent));
    return () => rm(path, { force: true });
  }

  /** Writes begun and never ended (the stack stopped mid-write), each with its forget function. */
  async leftovers(): Promise<(WriteIntent & { forget(): Promise<void> })[]> {
    const out: (WriteIntent & { forget(): Promise<void> })[] = [];
    for (const name of await readdir(this.dir)) {
      const path = join(this.dir, name);
      const forget = () => rm(path, { force: true });
      let w: WriteIntent;
      try {
        w = INTENT.parse(await readFile(path), path);
      } catch {
        // Cut short while being written itself (or gone): the write it announced had not started.
        await forget();
        continue;
      }
      out.push({ bucket: w.bucket, key: w.key, forget });
    }
    return out;
  }
}
