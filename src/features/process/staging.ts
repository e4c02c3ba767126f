/**
 * Runs a staging (external) processor: the session's raw files are downloaded (hashed while
 * they stream) into a work folder under the OS temp dir (/tmp on Lambda), the command runs,
 * and its outputs are streamed to the lake from disk. Inputs and outputs must fit the process
 * function's ephemeral storage: a session whose inputs alone exceed it fails before anything
 * is downloaded, and a run whose inputs + outputs exceed it fails afterwards, locally as on
 * Lambda (where it would have hit ENOSPC), with a message naming the limit and the fix.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ProcessLimits } from '../../config/platform-limits.js';
import { RecpipeError } from '../../core/errors.js';
import type { SessionRef } from '../../core/layout.js';
import type { ObjectStore } from '../../core/ports.js';
import type { Manifest } from '../../core/session/manifest-types.js';
import type { OutputSink, StagingProcessor } from './steps/processor.js';
import { checkedRawStream } from './raw-reader.js';

/** Lambda counts ephemeral storage in MB; counting 10^6 bytes keeps local runs on the safe side. */
const MB = 1_000_000;
const HINT =
  'raise ephemeralStorageMb in src/config/platform-limits.ts (Lambda allows up to 10240 MB) and redeploy, or use the built-in streaming decoder (no processorCommand)';
const mb = (n: number) => `${Math.ceil(n / MB)} MB`;

export async function runStaging(
  processor: StagingProcessor,
  ref: SessionRef,
  manifest: Manifest,
  raw: ObjectStore,
  sink: OutputSink,
  limits: ProcessLimits,
  signal?: AbortSignal,
): Promise<void> {
  const budget = limits.ephemeralStorageMb * MB;
  const inputBytes = manifest.files.reduce((n, f) => n + f.size, 0);
  if (inputBytes > budget) {
    throw new RecpipeError(
      'failed',
      `${manifest.sessionId}: the external processor needs the session's ${mb(inputBytes)} staged in /tmp, more than the process function's ${limits.ephemeralStorageMb} MB of ephemeral storage`,
      { hint: HINT },
    );
  }
  const work = await mkdtemp(join(tmpdir(), 'recpipe-process-'));
  try {
    const inDir = join(work, 'in');
    const outDir = join(work, 'out');
    await Promise.all([mkdir(inDir), mkdir(outDir)]);
    for (const f of manifest.files) await pipeline(Readable.from(checkedRawStream(raw, ref, f, signal)), createWriteStream(join(inDir, f.name)));
    await processor.run({ dir: inDir, manifest }, outDir, signal);
    const outputs: { name: string; size: number }[] = [];
    for (const name of (await readdir(outDir)).sort()) {
      const s = await stat(join(outDir, name));
      if (s.isFile()) outputs.push({ name, size: s.size });
    }
    const used = inputBytes + outputs.reduce((n, o) => n + o.size, 0);
    if (used > budget) {
      throw new RecpipeError(
        'failed',
        `${manifest.sessionId}: the external processor used ${mb(used)} of /tmp (inputs and outputs), more than the process function's ${limits.ephemeralStorageMb} MB; on Lambda it would fail with ENOSPC`,
        { hint: HINT },
      );
    }
    for (const o of outputs) await sink.stream(o.name, createReadStream(join(outDir, o.name)), o.size);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOSPC') {
      throw new RecpipeError(
        'no_space',
        `${manifest.sessionId}: /tmp ran out of space while the external processor ran (${limits.ephemeralStorageMb} MB of ephemeral storage)`,
        { hint: HINT, cause: e },
      );
    }
    throw e;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
