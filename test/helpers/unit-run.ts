/**
 * Runs a systemd unit's ExecStart the way systemd would for its service user, without systemd:
 * folders laid out as StateDirectory= / LogsDirectory= make them, only the environment the unit
 * gives (its Environment= lines, its EnvironmentFile=, and what systemd itself sets), and the
 * command run as an unprivileged user through runuser (root only).
 */
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { onCleanup, tempDir } from './tmp.js';
import { environmentAssignments, environmentFile, expandSpecifiers, parseUnit } from './unit-file.js';

/** The user that stands in for a unit's system user. */
export const STAND_IN_USER = 'nobody';

/** The state and logs roots (what %S and %L name), a rig folder, and the stand-in user's ids. */
export interface RigFolders {
  roots: { state: string; logs: string };
  sessions: string;
  uid: number;
  gid: number;
}

/**
 * Fresh folders the stand-in user can reach. The run's private temp dir is opened to it until the
 * test file ends, and so is every folder above it that others cannot pass through (a TMPDIR made
 * by `mktemp -d` is 0700), each given back its mode after.
 */
export function rigFolders(): RigFolders {
  const tmp = process.env.TMPDIR!;
  const mode = statSync(tmp).mode & 0o777;
  chmodSync(tmp, mode | 0o711);
  onCleanup(() => chmodSync(tmp, mode));
  for (let d = dirname(tmp); d !== dirname(d); d = dirname(d)) {
    const m = statSync(d).mode & 0o7777;
    if (m & 0o001) continue;
    chmodSync(d, m | 0o001);
    onCleanup(() => chmodSync(d, m));
  }
  const base = tempDir('rp-rig-');
  chmodSync(base, 0o755);
  const id = (flag: string) => Number(spawnSync('id', [flag, STAND_IN_USER], { encoding: 'utf8' }).stdout);
  const roots = { state: join(base, 'var-lib'), logs: join(base, 'var-log') };
  const sessions = join(base, 'sessions');
  for (const d of [roots.state, roots.logs, sessions]) mkdirSync(d, { mode: 0o755 });
  return { roots, sessions, uid: id('-u'), gid: id('-g') };
}

/** What the unit at `unitPath` would run: its [Service] section, the environment ExecStart gets, and its argv. */
export function unitExecStart(o: { unitPath: string; roots: RigFolders['roots']; envFile: string; replace: Record<string, string>; nodeDir: string }) {
  const service = parseUnit(readFileSync(o.unitPath, 'utf8')).Service;
  const env: Record<string, string> = {
    // What systemd itself sets for a service with User=, StateDirectory= and LogsDirectory=
    // (its PATH, with the Node under test first, as a rig has its Node on that path).
    PATH: `${o.nodeDir}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    HOME: '/nonexistent',
    USER: STAND_IN_USER,
    LOGNAME: STAND_IN_USER,
    INVOCATION_ID: '0123456789abcdef0123456789abcdef',
    STATE_DIRECTORY: join(o.roots.state, service.StateDirectory[0]),
    LOGS_DIRECTORY: join(o.roots.logs, service.LogsDirectory[0]),
  };
  for (const v of service.Environment) Object.assign(env, environmentAssignments(expandSpecifiers(v, o.roots)));
  Object.assign(env, environmentFile(readFileSync(o.envFile, 'utf8')));
  const argv = service.ExecStart[0].split(/\s+/).map((a) => o.replace[a] ?? a);
  return { service, env, argv };
}

/** Runs `argv` as the stand-in user with exactly `env` (stdout and stderr piped). */
export function asStandIn(env: Record<string, string>, argv: string[]): ChildProcessByStdio<null, Readable, Readable> {
  return spawn('runuser', ['-u', STAND_IN_USER, '--', 'env', '-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...argv], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
