/**
 * What a stack killed mid-request leaves behind, cleared when it starts and before it serves:
 * object data s3rver kept without metadata (orphans.ts), objects whose write never finished
 * (write-intents.ts), request bodies spooled to disk,
 * part files s3rver kept without the gateway having validated them, and multipart uploads
 * older than the raw and lake buckets' lifecycle rule (AbortIncompleteMultipartUpload after
 * 7 days on AWS). Open uploads younger than that are kept: a rig resumes them.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { removeOrphans } from './orphans.js';
import type { PartStore } from './part-store.js';
import { sendUpstream, type Upstream } from './upstream.js';
import type { WriteIntents } from './write-intents.js';

/** As the infrastructure's lifecycle rule (src/infra/storage.ts). */
export const ABORT_INCOMPLETE_AFTER_MS = 7 * 24 * 3600 * 1000;

export interface CleanupOptions {
  upstream: Upstream;
  intents: WriteIntents;
  parts: PartStore;
  /** The gateway's body spool folder: only this stack writes there. */
  tmpDir: string;
  /** s3rver's data folder. */
  storeDir: string;
  buckets: string[];
  now: number;
}

export interface CleanupReport {
  /** Object data without metadata, removed from s3rver's folders (it broke every listing). */
  orphanObjects: number;
  partialObjects: number;
  spoolFiles: number;
  strayParts: number;
  expiredUploads: number;
}

export async function cleanLeftovers(o: CleanupOptions): Promise<CleanupReport> {
  const report: CleanupReport = { orphanObjects: 0, partialObjects: 0, spoolFiles: 0, strayParts: 0, expiredUploads: 0 };
  for (const bucket of o.buckets) report.orphanObjects += await removeOrphans(join(o.storeDir, bucket));
  for (const w of await o.intents.leftovers()) {
    const path = `/${encodeURIComponent(w.bucket)}/${w.key.split('/').map(encodeURIComponent).join('/')}`;
    const res = await sendUpstream(o.upstream, 'DELETE', path, {});
    res.resume();
    if (res.statusCode !== 204 && res.statusCode !== 200 && res.statusCode !== 404)
      throw new Error(`cannot remove the partial object ${w.bucket}/${w.key}: s3rver answered ${res.statusCode}`);
    await w.forget();
    report.partialObjects++;
  }
  for (const name of await readdir(o.tmpDir).catch(() => [] as string[])) {
    await rm(join(o.tmpDir, name), { recursive: true, force: true });
    report.spoolFiles++;
  }
  for (const bucket of o.buckets) await cleanUploads(o, bucket, report);
  return report;
}

/** s3rver keeps each multipart upload in <store>/<bucket>/._S3rver_uploads/<uploadId>/ (part files `<n>`, `<n>.md5`). */
async function cleanUploads(o: CleanupOptions, bucket: string, report: CleanupReport): Promise<void> {
  const root = join(o.storeDir, bucket, '._S3rver_uploads');
  const known = new Map((await o.parts.uploads(bucket)).map((u) => [u.uploadId, u]));
  for (const id of await readdir(root).catch(() => [] as string[])) {
    const dir = join(root, id);
    const upload = known.get(id);
    if (!upload || o.now - Date.parse(upload.initiated) > ABORT_INCOMPLETE_AFTER_MS) {
      // Never acknowledged to a client (the stack stopped before it recorded the upload), or expired.
      await rm(dir, { recursive: true, force: true });
      await o.parts.end(id);
      report.expiredUploads++;
      continue;
    }
    const files = await readdir(dir);
    const numbers = files.filter((f) => /^\d+$/.test(f)).map(Number);
    const records = await o.parts.get(id, numbers);
    for (const n of numbers.filter((n) => !records?.has(n))) {
      // Written by s3rver but never validated and acknowledged: the client sends it again.
      await rm(join(dir, String(n)), { force: true });
      await rm(join(dir, `${n}.md5`), { force: true });
      report.strayParts++;
    }
  }
  for (const u of known.values()) {
    // The upload was completed upstream but the stack stopped before it forgot the records.
    if (!(await readdir(join(root, u.uploadId)).catch(() => undefined))) await o.parts.end(u.uploadId);
  }
}
