/**
 * What a destination folder remembers of earlier pulls: `.recpipe-pull-state.json` (every file a
 * pull verified there, with size, time and whether it was flushed, and the boot that wrote it)
 * and `recpipe-pull.json` (the last pull's list, for people and training scripts).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Pulled } from '../../core/pull/sync-plan.js';
import { writeFileAtomic } from '../../adapters/fs/atomic-write.js';

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

export async function loadState(path: string): Promise<StateFile> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<StateFile>;
    // The first format was the bare map of paths (never a key `files`), without a boot id: its
    // records are trusted for nothing, as if written before a reboot.
    return parsed.files && typeof parsed.files === 'object' ? (parsed as StateFile) : { files: parsed as State };
  } catch {
    return { files: {} };
  }
}

/** The files the last pull's manifest lists, by path (empty when there is none or it cannot be read). */
export async function loadManifestFiles(path: string): Promise<Map<string, Pulled>> {
  try {
    const m = JSON.parse(await readFile(path, 'utf8')) as { files?: { path?: unknown; sha256?: unknown; bytes?: unknown }[] };
    const out = new Map<string, Pulled>();
    for (const f of Array.isArray(m.files) ? m.files : [])
      if (typeof f.path === 'string' && typeof f.sha256 === 'string' && typeof f.bytes === 'number') out.set(f.path, { sha256: f.sha256, size: f.bytes });
    return out;
  } catch {
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
