/**
 * The one way an object is written (PutObject, CompleteMultipartUpload): under the key's lock,
 * the write's conditions are checked against the stored object (raw: write-once), an intent is
 * recorded so a stack killed mid-write removes the partial object at its next start, the store
 * writes, its checksums are recorded for checksum-mode reads, and an object-created event goes
 * out before the client hears back.
 */
import type { ChecksumStore, StoredChecksums } from '../checksum-store.js';
import type { KeyLocks } from '../key-locks.js';
import { answer, type S3Request } from '../request.js';
import { needsCurrent, preconditionFailure } from '../rules/conditions.js';
import { headUpstream, type Upstream } from '../upstream.js';
import type { WriteIntents } from '../write-intents.js';
import type { Announce } from './handler.js';

/** What writing an object needs: s3rver, the key locks, write intents, checksum records, the event. */
export interface ObjectWriterDeps {
  upstream: Upstream;
  locks: KeyLocks;
  intents: WriteIntents;
  checksums: ChecksumStore;
  announce: Announce;
}

/** What the store did with a write, and how to answer the client. */
export interface WriteOutcome {
  ok: boolean;
  etag: string;
  size: number;
  sums: StoredChecksums;
  /** Sends the store's answer to the client. */
  reply(): Promise<void>;
  /** Drops the store's answer (the drop-response fault). */
  discard(): void;
}

/** Writes `r`'s object with `store`, if its conditions hold (answered 412/404 otherwise). */
export type ObjectWriter = (r: S3Request, store: () => Promise<WriteOutcome>) => Promise<void>;

/** The one object writer, built once per gateway. */
export function objectWriter(d: ObjectWriterDeps): ObjectWriter {
  return (r, store) =>
    d.locks.run(`${r.bucket}/${r.key}`, async () => {
      const h = r.req.headers;
      if (needsCurrent(h, r.raw)) {
        const refused = preconditionFailure(h, r.key, await headUpstream(d.upstream, r.rawPath), r.raw);
        if (refused) return answer(r, refused);
      }
      const done = await d.intents.begin(r.bucket, r.key);
      const out = await store();
      if (out.ok) await d.checksums.set(r.bucket, r.key, out.etag, out.sums);
      await done();
      if (out.ok) d.announce(r.bucket, r.key, out.size, out.etag);
      if (out.ok && r.fault?.type === 'drop-response') {
        // The write happened; the client never hears so (a long answer that timed out).
        out.discard();
        r.res.destroy();
        return;
      }
      await out.reply();
    });
}
