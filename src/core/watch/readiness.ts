/**
 * When is a session folder finished? Events from the filesystem fire on half-written files, so
 * they are only hints: a folder is ready when its name is valid, its metadata file exists and
 * nothing in it changed (names, sizes, mtimes) for the quiet period — or, when the rig writes a
 * marker file, when that file is there (then only then). Pure: the daemon feeds it snapshots and the clock.
 */
import { fullJitter } from '../backoff.js';
import { createHash } from 'node:crypto';

export interface FileStat {
  name: string;
  size: number;
  mtimeMs: number;
}

export interface Snapshot {
  files: FileStat[];
}

export interface Observation {
  fingerprint: string;
  /** When this fingerprint was first seen. */
  since: number;
}

export function fingerprint(s: Snapshot): string {
  const h = createHash('sha256');
  for (const f of [...s.files].sort((a, b) => (a.name < b.name ? -1 : 1))) h.update(`${f.name}\0${f.size}\0${f.mtimeMs}\n`);
  return h.digest('hex');
}

/** Updates the observation of a folder with a fresh snapshot. */
export function observe(prev: Observation | undefined, snap: Snapshot, now: number): Observation {
  const fp = fingerprint(snap);
  return prev && prev.fingerprint === fp ? prev : { fingerprint: fp, since: now };
}

export type Readiness = { ready: true } | { ready: false; reason: string };

export function readiness(
  snap: Snapshot,
  obs: Observation,
  now: number,
  o: { quietMs: number; markerFile?: string; isMetadata: (name: string) => boolean },
): Readiness {
  // A rig that writes a marker file may pause for any length of time mid-recording: with a
  // marker configured, the marker alone says "finished" and the quiet period does not apply.
  if (o.markerFile)
    return snap.files.some((f) => f.name === o.markerFile) ? { ready: true } : { ready: false, reason: `waiting for the marker file ${o.markerFile}` };
  if (!snap.files.some((f) => o.isMetadata(f.name))) return { ready: false, reason: 'no metadata file yet' };
  const newest = Math.max(0, ...snap.files.map((f) => f.mtimeMs));
  const quietFor = Math.min(now - obs.since, now - newest);
  if (quietFor < o.quietMs) return { ready: false, reason: `changed ${Math.round(quietFor / 1000)} s ago (quiet period ${Math.round(o.quietMs / 1000)} s)` };
  return { ready: true };
}

/** The daemon's wait before retrying a session: the one policy (core/backoff.ts), from 2 s up to 5 min. */
export function backoffMs(attempt: number, random: () => number = Math.random, baseMs = 1000, maxMs = 5 * 60_000): number {
  return fullJitter(baseMs * 2, maxMs, random)(attempt);
}
