/**
 * Before a manifest is written, every listed file must be stored with its listed size, and where
 * the store kept a whole-object SHA-256 (single PUTs with x-amz-checksum-sha256) it must match.
 *
 * One HEAD per listed file, through the API's shared FairLimiter under the rig's name: a commit of
 * 10,000 files never has more than `perKey` HEADs in flight, and other rigs' checks take turns
 * with it instead of queueing behind it (issue 26: four commits of 5,000 files sent at once made
 * another rig's request fail).
 */
import { RecpipeError } from '../../core/errors.js';
import type { FairLimiter, FairLimits } from '../../core/fair-limiter.js';
import { rawObjectKey, type SessionRef } from '../../core/layout.js';
import type { ObjectStore } from '../../core/ports.js';
import type { Manifest } from '../../core/session/manifest-types.js';
import { MAX_MANIFEST_FILES } from './validate-manifest.js';

/**
 * Per API instance (the local stack; one Lambda container): 64 HEADs at once, 16 for one rig
 * (5,000 files in about 5 s at S3's ~15 ms a HEAD), and up to four of the largest commits pending
 * per rig; a fifth is answered 503, retryable.
 */
export const DEFAULT_COMMIT_CHECKS: FairLimits = { max: 64, perKey: 16, maxPendingPerKey: 4 * MAX_MANIFEST_FILES };

const list = (names: string[]) => names.slice(0, 10).join(', ') + (names.length > 10 ? `, ... (${names.length} in all)` : '');

export async function checkObjects(raw: ObjectStore, ref: SessionRef, manifest: Manifest, limiter: FairLimiter): Promise<void> {
  const heads = await limiter.map(ref.rig, manifest.files, async (f) => ({ f, info: await raw.head(rawObjectKey(ref, f)) }));
  const missing = heads.filter((h) => !h.info).map((h) => h.f.name);
  if (missing.length > 0) {
    throw new RecpipeError('conflict', `cannot commit ${ref.rig}/${ref.session}: not uploaded yet: ${list(missing)}`, {
      hint: 'upload the missing files, then commit again (`recpipe upload` resumes)',
      details: { missing },
    });
  }
  const wrongSize = heads.filter((h) => h.info!.size !== h.f.size).map((h) => `${h.f.name} (stored ${h.info!.size}, manifest ${h.f.size})`);
  if (wrongSize.length > 0) {
    throw new RecpipeError('integrity', `cannot commit ${ref.rig}/${ref.session}: size differs: ${list(wrongSize)}`, {
      hint: 'the stored objects do not match the manifest; check the session folder did not change during upload',
      details: { sizeMismatch: wrongSize },
    });
  }
  const wrongHash = heads
    .filter((h) => {
      const stored = h.info!.checksums?.sha256;
      // Multipart objects carry a composite checksum ("...-N"), not comparable to a whole-file hash.
      return stored !== undefined && !stored.includes('-') && Buffer.from(stored, 'base64').toString('hex') !== h.f.sha256;
    })
    .map((h) => h.f.name);
  if (wrongHash.length > 0) {
    throw new RecpipeError('integrity', `cannot commit ${ref.rig}/${ref.session}: sha256 differs: ${list(wrongHash)}`, {
      details: { checksumMismatch: wrongHash },
    });
  }
}
