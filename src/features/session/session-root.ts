/**
 * `recpipe check` given the watch root: a folder whose own name is not a session name but which
 * holds session folders is the folder the rig writes into, not a session. It is checked as
 * `recpipe watch` sees it: every sub-folder on its own.
 */
import { readdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { SESSION_NAME } from '../../core/session/name.js';

/** A folder of session folders and what is in it. */
export interface SessionRoot {
  root: string;
  /** Sub-folders named like sessions (`recpipe watch` takes these). */
  sessions: string[];
  /** Other sub-folders (`recpipe watch` leaves them alone: their name is not a session name). */
  others: string[];
}

/** The folder as a root of sessions, or undefined when it should be checked as one session. */
export async function asSessionRoot(dir: string): Promise<SessionRoot | undefined> {
  if (SESSION_NAME.test(basename(resolve(dir)))) return undefined;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const folders = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const sessions = folders.filter((n) => SESSION_NAME.test(n));
  if (sessions.length === 0) return undefined;
  return { root: dir, sessions: sessions.map((n) => join(dir, n)), others: folders.filter((n) => !SESSION_NAME.test(n)).map((n) => join(dir, n)) };
}
