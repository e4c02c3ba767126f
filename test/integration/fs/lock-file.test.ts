/** The one lock-file implementation (watch daemon, upload session, pull destination). */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { RecpipeError } from '../../../src/core/errors.js';
import { acquireLock, takeLock } from '../../../src/adapters/fs/lock-file.js';
import { tempDir } from '../../helpers/tmp.js';

const busy = (h: { pid: number }) => new RecpipeError('locked', `held by ${h.pid}`);
const gonePid = () => spawnSync(process.execPath, ['-e', '0']).pid;

describe('takeLock', () => {
  it('refuses a second holder with the busy error, leaves only the lock file, and frees it on release', async () => {
    const dir = tempDir('rp-lock-');
    const path = join(dir, 'lock');
    const first = await takeLock(path, { busy });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    await expect(takeLock(path, { busy })).rejects.toMatchObject({ code: 'locked', message: `held by ${process.pid}` });
    expect(readdirSync(dir)).toEqual(['lock']);
    await first.release();
    expect(existsSync(path)).toBe(false);
    await (await takeLock(path, { busy })).release();
  });

  it('takes over a lock whose holder is gone from this host, or which is our own leftover', async () => {
    const dir = tempDir('rp-lock-');
    const path = join(dir, 'lock');
    writeFileSync(path, JSON.stringify({ pid: gonePid(), host: hostname() }));
    await (await takeLock(path, { busy })).release();
    writeFileSync(path, JSON.stringify({ pid: gonePid() })); // written before hosts were recorded
    await (await takeLock(path, { busy })).release();
    writeFileSync(path, JSON.stringify({ pid: process.pid, host: hostname() })); // a crash of an earlier run with our pid
    await (await takeLock(path, { busy })).release();
  });

  it('takes over a lock file cut short (its holder cannot be read), but not a live one with a mistyped host', async () => {
    const path = join(tempDir('rp-lock-'), 'lock');
    writeFileSync(path, `{"pid": ${process.ppid}, "ho`);
    await (await takeLock(path, { busy })).release();
    writeFileSync(path, JSON.stringify({ pid: process.ppid, host: 7 }));
    await expect(takeLock(path, { busy })).rejects.toMatchObject({ code: 'locked', message: `held by ${process.ppid}` });
  });

  it('never takes over a lock held from another host (a shared folder)', async () => {
    const path = join(tempDir('rp-lock-'), 'lock');
    writeFileSync(path, JSON.stringify({ pid: gonePid(), host: 'elsewhere.example', startedAt: 'then' }));
    await expect(takeLock(path, { busy })).rejects.toMatchObject({ code: 'locked' });
  });

  it('with wait, tells once and takes the lock when the holder lets go', async () => {
    const path = join(tempDir('rp-lock-'), 'lock');
    const first = await takeLock(path, { busy });
    const told: number[] = [];
    const second = takeLock(path, { busy, wait: true, pollMs: 5, onWait: (h) => told.push(h.pid) });
    while (told.length === 0) await new Promise((r) => setTimeout(r, 5));
    await first.release();
    await (await second).release();
    expect(told).toEqual([process.pid]);
  });

  it('stops waiting when aborted', async () => {
    const path = join(tempDir('rp-lock-'), 'lock');
    const first = await takeLock(path, { busy });
    const ac = new AbortController();
    const waiting = takeLock(path, { busy, wait: true, pollMs: 5, signal: ac.signal, onWait: () => ac.abort(new RecpipeError('interrupted', 'stop')) });
    await expect(waiting).rejects.toMatchObject({ code: 'interrupted' });
    await first.release();
  });

  it('acquireLock keeps the watch daemon message and records the root', async () => {
    const path = join(tempDir('rp-lock-'), 'lock');
    const lock = await acquireLock(path, '/data/rig');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ root: '/data/rig' });
    await expect(acquireLock(path, '/data/rig')).rejects.toThrow(`another recpipe watch (pid ${process.pid}) is already watching /data/rig`);
    await lock.release();
  });
});
