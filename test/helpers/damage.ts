/** Storage damage for audit tests: a byte flipped in an object as the embedded stack stores it on disk. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const SUFFIX = '._S3rver_object';

/** Flips one byte of `key` in `bucket` behind the gateway's back (a disk fault, not a request). */
export function flipStoredByte(home: string, bucket: string, key: string, offset = 100): void {
  const root = join(home, 'local', 's3', 's3rver', bucket);
  const file = readdirSync(root, { recursive: true })
    .map(String)
    .find((p) => p.endsWith(SUFFIX) && relative('.', p.slice(0, -SUFFIX.length)).split(sep).join('/') === key);
  if (!file) throw new Error(`no stored object ${bucket}/${key} under ${root}`);
  const body = readFileSync(join(root, file));
  body[offset] ^= 0xff;
  writeFileSync(join(root, file), body);
}
