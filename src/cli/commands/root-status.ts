/** `recpipe status --root DIR`: the watcher's view of a rig folder, whether it runs, and its last heartbeat. */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { renderTable } from '../render/table.js';
import { wrapWords } from '../render/wrap.js';
import { RecpipeError } from '../../core/errors.js';
import { WATCH_STATE, watchDir, type WatchState } from '../../features/watch/state.js';
import type { Clock } from '../../core/ports.js';
import { systemClock } from '../../adapters/system/clock.js';
import { lockHeld } from '../../adapters/fs/lock-file.js';

/** Reasons wrap at this width in the table (the full text is in --json). */
export const REASON_WIDTH = 60;

/** The watch state of `root`, with `running` read from the daemon's lock (a pid in the state may be long gone). */
export async function rootStatus(
  home: string,
  root: string,
  clock: Clock = systemClock,
): Promise<{ data: WatchState & { heartbeatAgeSec?: number; running: boolean }; human: string }> {
  const dir = watchDir(home, root);
  let text: Buffer;
  try {
    text = await readFile(join(dir, 'state.json'));
  } catch {
    throw new RecpipeError('not_found', `no watcher has run on ${resolve(root)} with RECPIPE_HOME=${home}`, { hint: 'start one with `recpipe watch DIR`' });
  }
  // A damaged file is its own error (integrity, naming the file and field), not "no watcher has run".
  const state: WatchState = WATCH_STATE.parse(text, join(dir, 'state.json'));
  const holder = await lockHeld(join(dir, 'lock'));
  const age = state.heartbeatAt ? Math.round((clock.now().getTime() - Date.parse(state.heartbeatAt)) / 1000) : undefined;
  const rows = Object.entries(state.sessions)
    .sort()
    .map(([session, s]) => ({
      session,
      state: s.state === 'uploading' ? `uploading ${s.progress ?? 0}%` : s.state,
      reason: wrapWords(s.reason ?? '', REASON_WIDTH),
    }));
  const beat = `last heartbeat ${state.heartbeatAt ?? 'never'}${age !== undefined ? ` (${age} s ago)` : ''}`;
  const daemon = holder
    ? `daemon running (pid ${holder.pid}${holder.host ? ` on ${holder.host}` : ''}), ${beat}`
    : `daemon not running: ${state.stoppedAt ? `stopped at ${state.stoppedAt}` : state.pid ? `pid ${state.pid} is gone (it did not stop cleanly)` : 'never started'}; ${beat}\n  start it: systemctl start recpipe-watch, or recpipe watch ${resolve(root)}`;
  const human = [renderTable(['session', 'state', 'reason'], rows), daemon].join('\n');
  return { data: { ...state, heartbeatAgeSec: age, running: holder !== undefined }, human };
}
