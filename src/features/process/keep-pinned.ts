/**
 * Outputs a snapshot references are never lost to processing. Processing writes a session's
 * outputs at fixed keys, so running it again (a new revision, `process --force`) replaces their
 * bytes; on AWS the old bytes would survive only as a noncurrent version, which the lake's
 * lifecycle expires. So before a run writes any output it reads the pins on this session x
 * pipeline version (written by `recpipe snapshot create`) and copies every pinned output it does
 * not hold yet to `processed/_kept/<sha256>`, checked against the pinned SHA-256 before the copy
 * becomes visible. `recpipe pull --snapshot` reads a file from there once its key holds other
 * bytes. Content-addressed: a file kept once is never copied again.
 */
import { createHash } from 'node:crypto';
import { isRecpipeError, messageOf, RecpipeError } from '../../core/errors.js';
import { keptOutputKey, snapshotKey, snapshotPinPrefix, type SessionRef } from '../../core/layout.js';
import type { Logger, ObjectStore } from '../../core/ports.js';
import { arrayOf, fieldsOf, obj, str } from '../../core/shape.js';
import { storedRecord } from '../../core/stored-record.js';

/** A pin with no snapshot behind it is a `snapshot create` that stopped before writing it; after this long it protects nothing. */
export const ORPHAN_PIN_MS = 60 * 60_000;

interface Pin {
  snapshot: string;
  files: { key: string; sha256: string }[];
}

/** A pin (`catalog/snapshot-pins/...`), written by `recpipe snapshot create`. */
export const SNAPSHOT_PIN = storedRecord<Pin>({
  what: 'snapshot pin',
  hint: 'take the snapshot again (`recpipe snapshot create`): it writes its pins again; `recpipe verify` reports files it can no longer serve',
  shape: fieldsOf<Pin>()({ snapshot: str, files: arrayOf(obj({ key: str, sha256: str })) }),
});

/** Keeps the pinned outputs of one session x pipeline version; resolves with how many it copied. */
export async function keepPinnedOutputs(lake: ObjectStore, ref: SessionRef, pipeline: string, version: string, log: Logger, now: Date): Promise<number> {
  const pins = await lake.list(snapshotPinPrefix(ref, pipeline, version));
  const wanted = new Map<string, string>();
  for (const o of pins) {
    let pin: Pin;
    try {
      pin = SNAPSHOT_PIN.parse(await lake.get(o.key), o.key);
    } catch (e) {
      // A damaged pin never blocks processing: logged, and its outputs are not kept by this run.
      if (!isRecpipeError(e) || e.code !== 'integrity') throw e;
      log.log('error', 'snapshot.pin_damaged', { key: o.key, error: e.message });
      continue;
    }
    const young = o.lastModified !== undefined && now.getTime() - o.lastModified.getTime() < ORPHAN_PIN_MS;
    if (!young && !(await lake.head(snapshotKey(pin.snapshot)))) continue;
    for (const f of pin.files) wanted.set(f.sha256, f.key);
  }
  let copied = 0;
  for (const [sha256, key] of wanted) {
    const kept = keptOutputKey(sha256);
    if (await lake.head(kept)) continue;
    try {
      await copyChecked(lake, key, kept, sha256);
      copied++;
      log.log('info', 'snapshot.output_kept', { key, kept });
    } catch (e) {
      // The bytes the snapshot names are not at the key any more (or the key is gone): nothing to
      // keep, and nothing else must stop processing. `recpipe pull --snapshot` will say so.
      log.log('error', 'snapshot.keep_failed', { key, sha256, error: messageOf(e) });
      if (!isRecpipeError(e) || (e.code !== 'integrity' && e.code !== 'not_found')) throw e;
    }
  }
  return copied;
}

/** Streams `from` to `to`, hashing on the way; the copy appears only if the hash is `sha256`. */
async function copyChecked(lake: ObjectStore, from: string, to: string, sha256: string): Promise<void> {
  const h = createHash('sha256');
  const source = await lake.getStream(from);
  async function* hashed(): AsyncIterable<Uint8Array> {
    for await (const c of source as AsyncIterable<Buffer>) {
      h.update(c);
      yield c;
    }
  }
  await lake.putStream(to, hashed(), {
    beforeComplete: () => {
      const got = h.digest('hex');
      if (got !== sha256)
        throw new RecpipeError('integrity', `${from} holds other bytes than the snapshot's (${got.slice(0, 12)}... instead of ${sha256.slice(0, 12)}...)`);
      return Promise.resolve();
    },
  });
}
