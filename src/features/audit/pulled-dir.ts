/**
 * `verify --pulled DIR`: every file a pull folder's manifest lists is present, the listed size,
 * and re-hashes to the listed SHA-256 (each file read once, streamed). Reads only; a damaged file
 * is named, never replaced here (`recpipe pull` replaces it).
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { RecpipeError } from '../../core/errors.js';
import type { Reporter } from '../../core/ports.js';
import { PULLED_MANIFEST, pulledProblem, safePulledPath, type OnDisk, type PulledFile, type PulledProblem } from '../../core/audit/pulled.js';

/** The pull folder's manifest, written by `recpipe pull` (src/features/pull). */
export const PULL_MANIFEST = 'recpipe-pull.json';

export interface PulledReport {
  dir: string;
  pulledAt?: string;
  files: number;
  bytes: number;
  problems: PulledProblem[];
  clean: boolean;
}

async function onDisk(path: string, size: number): Promise<OnDisk> {
  let s;
  try {
    s = await stat(path);
  } catch {
    return { exists: false };
  }
  if (!s.isFile() || s.size !== size) return { exists: true, size: s.isFile() ? s.size : -1 };
  const h = createHash('sha256');
  for await (const c of createReadStream(path)) h.update(c as Buffer);
  return { exists: true, size: s.size, sha256: h.digest('hex') };
}

export async function checkPulledDir(dirArg: string, reporter: Reporter): Promise<PulledReport> {
  const dir = resolve(dirArg);
  let text: Buffer;
  try {
    text = await readFile(join(dir, PULL_MANIFEST));
  } catch (e) {
    throw new RecpipeError('usage', `${join(dir, PULL_MANIFEST)} cannot be read: ${(e as Error).message}`, {
      hint: 'give the --dest folder of a finished `recpipe pull` (it holds recpipe-pull.json)',
    });
  }
  // A damaged manifest is an integrity error naming the file and field (a missing one is usage, above).
  const manifest = PULLED_MANIFEST.parse(text, join(dir, PULL_MANIFEST));
  const files: PulledFile[] = manifest.files;
  const total = files.reduce((n, f) => n + f.bytes, 0);
  reporter.step(`checking ${files.length} pulled files (${(total / 1e9).toFixed(2)} GB)`);
  const problems: PulledProblem[] = [];
  let done = 0;
  for (const f of files) {
    if (!safePulledPath(f.path)) {
      problems.push({
        path: String(f.path),
        problem: 'unsafe_path',
        message: 'the path leaves the pull folder: not read',
        next: 'the manifest was edited: pull again into a fresh folder',
      });
      continue;
    }
    const p = pulledProblem(f, await onDisk(join(dir, f.path), f.bytes));
    if (p) problems.push(p);
    done += f.bytes;
    reporter.progress(total ? done / total : 1);
  }
  reporter.succeed(problems.length ? `${problems.length} problem(s)` : 'every pulled file matches');
  return { dir, pulledAt: manifest.pulledAt, files: files.length, bytes: total, problems, clean: problems.length === 0 };
}
