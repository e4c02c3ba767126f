/**
 * Reading a session's raw files, always checked against the manifest: size from a HEAD first,
 * then SHA-256 while the bytes stream. Any difference is `Incomplete` (the raw data itself is
 * wrong: not retried). Raw data is only read, never staged whole.
 */
import { createHash } from 'node:crypto';
import { rawObjectKey, type SessionRef } from '../../core/layout.js';
import type { ObjectStore } from '../../core/ports.js';
import type { LedgerEntry } from '../../core/catalog/types.js';
import type { Manifest, ManifestFile } from '../../core/session/manifest-types.js';

/** A listed file whose stored bytes hash to another SHA-256 than its manifest says. */
export type ShaMismatch = NonNullable<LedgerEntry['integrity']>[number];

/**
 * The raw data does not match its manifest. `integrity` lists the files whose bytes are all there
 * but hash differently: the manifest's SHA-256 is a claim S3 can check only for single SHA-256
 * PUTs, so this is where every other file's claim is held to (docs/analysis.md, threat model).
 */
export class Incomplete extends Error {
  constructor(
    message: string,
    readonly integrity: ShaMismatch[] = [],
  ) {
    super(message);
  }
}

const shaMismatch = (f: ManifestFile, got: string) => `${f.name} has SHA-256 ${got.slice(0, 12)}..., the manifest says ${f.sha256.slice(0, 12)}...`;
const mismatch = (ref: SessionRef, f: ManifestFile, got: string): ShaMismatch => ({
  file: f.name,
  key: rawObjectKey(ref, f),
  manifest_sha256: f.sha256,
  stored_sha256: got,
});

/** Streams `f`'s bytes, hashing them; throws Incomplete at the end when they differ from the manifest. */
export async function* checkedRawStream(raw: ObjectStore, ref: SessionRef, f: ManifestFile, signal?: AbortSignal): AsyncGenerator<Buffer> {
  const h = createHash('sha256');
  let size = 0;
  for await (const chunk of await raw.getStream(rawObjectKey(ref, f))) {
    signal?.throwIfAborted();
    const c = chunk as Buffer;
    h.update(c);
    size += c.length;
    yield c;
  }
  if (size !== f.size) throw new Incomplete(`raw data does not match the manifest: ${f.name} streamed ${size} bytes, the manifest says ${f.size}`);
  const got = h.digest('hex');
  if (got !== f.sha256) throw new Incomplete(`raw data does not match the manifest: ${shaMismatch(f, got)}`, [mismatch(ref, f, got)]);
}

/** Checks every manifest file (present, same size, same SHA-256), reading each as a stream once. */
export async function verifyRaw(raw: ObjectStore, ref: SessionRef, manifest: Manifest, signal?: AbortSignal): Promise<void> {
  const problems: string[] = [];
  const integrity: ShaMismatch[] = [];
  for (const f of manifest.files) {
    const head = await raw.head(rawObjectKey(ref, f));
    if (!head) {
      problems.push(`${f.name} is missing`);
      continue;
    }
    if (head.size !== f.size) {
      problems.push(`${f.name} has ${head.size} bytes, the manifest says ${f.size}`);
      continue;
    }
    const h = createHash('sha256');
    for await (const chunk of await raw.getStream(rawObjectKey(ref, f))) {
      signal?.throwIfAborted();
      h.update(chunk as Buffer);
    }
    const got = h.digest('hex');
    if (got !== f.sha256) {
      problems.push(shaMismatch(f, got));
      integrity.push(mismatch(ref, f, got));
    }
  }
  if (problems.length > 0) throw new Incomplete(`raw data does not match the manifest: ${problems.join('; ')}`, integrity);
}
