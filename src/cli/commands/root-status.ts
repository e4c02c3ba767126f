/** `recpipe status --root DIR`: the watcher's view of a rig folder, and its last heartbeat. */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { renderTable } from '../render/table.js';
import { RecpipeError } from '../../core/errors.js';
import { watchDir, type WatchState } from '../../watch/state.js';
import type { Clock } from '../../core/ports.js';
import { systemClock } from '../../adapters/memory/clock.js';

export async function rootStatus(
  home: string,
  root: string,
  clock: Clock = systemClock,
): Promise<{ data: WatchState & { heartbeatAgeSec?: number }; human: string }> {
  let state: WatchState;
  try {
    state = JSON.parse(await readFile(join(watchDir(home, root), 'state.json'), 'utf8')) as WatchState;
  } catch {
    throw new RecpipeError('not_found', `no watcher has run on ${resolve(root)} with RECPIPE_HOME=${home}`, { hint: 'start one with `recpipe watch DIR`' });
  }
  const age = state.heartbeatAt ? Math.round((clock.now().getTime() - Date.parse(state.heartbeatAt)) / 1000) : undefined;
  const rows = Object.entries(state.sessions)
    .sort()
    .map(([session, s]) => ({ session, state: s.state === 'uploading' ? `uploading ${s.progress ?? 0}%` : s.state, reason: (s.reason ?? '').slice(0, 100) }));
  const human = [
    renderTable(['session', 'state', 'reason'], rows),
    `daemon pid ${state.pid ?? '-'}, last heartbeat ${state.heartbeatAt ?? 'never'}${age !== undefined ? ` (${age} s ago)` : ''}`,
  ].join('\n');
  return { data: { ...state, heartbeatAgeSec: age }, human };
}
