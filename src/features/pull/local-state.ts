/**
 * What a destination folder remembers of earlier pulls: `.recpipe-pull-state.json` (every file a
 * pull verified there, with size, time and whether it was flushed, and the boot that wrote it)
 * and `recpipe-pull.json` (the last pull's list, for people and training scripts).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Pulled } from '../../core/pull/sync-plan.js';
import { PULLED_MANIFEST } from '../../core/audit/pulled.js';
import { writeFileAtomic } from '../../adapters/fs/atomic-write.js';
import { isRecpipeError, type RecpipeError } from '../../core/errors.js';
import { bool, int, mapOf, num, obj, opt, str, type Shape } from '../../core/shape.js';
import { storedRecord } from '../../core/stored-record.js';

export const STATE_FILE = '.recpipe-pull-state.json';
export const MANIFEST_FILE = 'recpipe-pull.json';

/** What earlier pulls verified, by path under dest; `synced` entries were flushed to disk. */
export type State = Record<string, { sha256: string; size: number; mtimeMs: number; synced?: boolean }>;
export interface StateFile {
  bootId?: string;
  files: State;
}

/** This boot of the machine, where Linux says. */
export async function linuxBootId(): Promise<string | undefined> {
  try {
    return (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim() || undefined;
  } catch {
    return undefined;
  }
}

const ENTRY = obj({ sha256: str, size: int, mtimeMs: num, synced: opt(bool) });
const CURRENT = obj({ bootId: opt(str), files: mapOf(ENTRY) });
const FIRST = mapOf(ENTRY);
/** The state file in either format: the first was the bare map of paths (never a key `files`). */
const STATE_SHAPE: Shape<StateFile | State> = {
  expected: 'a pull state',
  check: (v, at) => (typeof v === 'object' && v !== null && 'files' in v ? CURRENT.check(v, at) : FIRST.check(v, at)),
};
export const PULL_STATE = storedRecord<StateFile | State>({
  what: 'pull state file',
  hint: 'nothing to do: every file in the folder is verified again (hashed) instead of trusted',
  shape: STATE_SHAPE,
});

/**
 * What earlier pulls verified here. A missing file is an empty state; a damaged one (cut short,
 * a field of the wrong type) is handed to `damaged` (pull warns, naming the file and field) and
 * read as empty too: the files are then hashed again, never trusted on a damaged record.
 */
export async function loadState(path: string, damaged?: (e: RecpipeError) => void): Promise<StateFile> {
  let text: Buffer;
  try {
    text = await readFile(path);
  } catch {
    return { files: {} };
  }
  try {
    const parsed = PULL_STATE.parse(text, path);
    // The first format had no boot id: its records are trusted for nothing, as if written before a reboot.
    return 'files' in parsed && typeof parsed.files === 'object' ? (parsed as StateFile) : { files: parsed as State };
  } catch (e) {
    if (isRecpipeError(e)) damaged?.(e);
    return { files: {} };
  }
}

/**
 * The files the last pull's manifest lists, by path: empty when there is none, and when it is
 * damaged too (handed to `damaged` first), so the pull goes on without its list of earlier files.
 */
export async function loadManifestFiles(path: string, damaged?: (e: RecpipeError) => void): Promise<Map<string, Pulled>> {
  let text: Buffer;
  try {
    text = await readFile(path);
  } catch {
    return new Map();
  }
  try {
    return new Map(PULLED_MANIFEST.parse(text, path).files.map((f) => [f.path, { sha256: f.sha256, size: f.bytes }]));
  } catch (e) {
    if (!isRecpipeError(e)) throw e;
    damaged?.(e);
    return new Map();
  }
}

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path, { highWaterMark: 1024 * 1024 })) h.update(c as Buffer);
  return h.digest('hex');
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}
