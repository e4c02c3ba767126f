/**
 * The main log turns over at `maxBytes` under the names winston's `tailable` option gave
 * (recpipe.log is always the newest, recpipe1.log the one before ...), keeps `maxFiles` files,
 * and loses, repeats or reorders no line on the way; the audit file never turns over.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { logTo, tick } from '../../helpers/any-logger.js';
import { tempDir } from '../../helpers/tmp.js';

const MAX = 1000;
const pad = 'x'.repeat(60);
const numbers = (path: string): number[] =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { i: number }).i);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);

describe('log rotation', () => {
  it('keeps the newest lines at the path and shifts older files up, every line once and in order', async () => {
    const dir = tempDir('rp-log-');
    const path = join(dir, 'recpipe.log');
    const log = logTo({ path, level: 'info', maxBytes: MAX, maxFiles: 20 });
    // Bursts between turns of the event loop: rotations land both inside a batch and between them.
    for (let i = 0; i < 60; i++) {
      log.log('info', 'upload.part', { i, pad });
      if (i % 7 === 0) await tick();
    }
    await log.close();
    const names = readdirSync(dir).sort();
    expect(names.length).toBeGreaterThan(5);
    expect(names.length).toBeLessThan(20);
    expect(names).toEqual(['recpipe.log', ...range(1, names.length).map((n) => `recpipe${n}.log`)].sort());
    for (const name of names) expect(statSync(join(dir, name)).size).toBeLessThanOrEqual(MAX);
    // Oldest first: recpipeN.log ... recpipe1.log, recpipe.log.
    const all = range(0, names.length)
      .reverse()
      .flatMap((n) => numbers(join(dir, n === 0 ? 'recpipe.log' : `recpipe${n}.log`)));
    expect(all).toEqual(range(0, 60));
    expect(numbers(path).at(-1)).toBe(59);
  });

  it('keeps at most maxFiles files, the newest, dropping the oldest', async () => {
    const dir = tempDir('rp-log-');
    const path = join(dir, 'recpipe.log');
    const log = logTo({ path, level: 'info', maxBytes: MAX, maxFiles: 3 });
    for (let i = 0; i < 60; i++) log.log('info', 'upload.part', { i, pad });
    await log.close();
    expect(readdirSync(dir).sort()).toEqual(['recpipe.log', 'recpipe1.log', 'recpipe2.log']);
    const kept = [...numbers(join(dir, 'recpipe2.log')), ...numbers(join(dir, 'recpipe1.log')), ...numbers(path)];
    expect(kept.length).toBeGreaterThan(10);
    expect(kept).toEqual(range(60 - kept.length, 60));
  });

  it('a later process appending to a full log turns it over first, shifting the older files', async () => {
    const dir = tempDir('rp-log-');
    const path = join(dir, 'recpipe.log');
    const old = (i: number) => JSON.stringify({ i, pad }) + '\n';
    writeFileSync(join(dir, 'recpipe1.log'), old(-2));
    writeFileSync(path, old(-1).padEnd(MAX - 1, ' ') + '\n');
    const log = logTo({ path, level: 'info', maxBytes: MAX, maxFiles: 5 });
    log.log('info', 'cli.start', { i: 0 });
    await log.close();
    expect(readdirSync(dir).sort()).toEqual(['recpipe.log', 'recpipe1.log', 'recpipe2.log']);
    expect(numbers(join(dir, 'recpipe2.log'))).toEqual([-2]);
    expect(numbers(join(dir, 'recpipe1.log'))).toEqual([-1]);
    expect(numbers(path)).toEqual([0]);
  });

  it('never turns the audit file over, however often the main log does', async () => {
    const dir = tempDir('rp-log-');
    const log = logTo({
      path: join(dir, 'recpipe.log'),
      level: 'info',
      maxBytes: MAX,
      maxFiles: 2,
      audit: { path: join(dir, 'recpipe-audit.log'), keep: (event) => event === 'keys.created' },
    });
    for (let i = 0; i < 60; i++) log.log('info', i % 3 === 0 ? 'keys.created' : 'api.request', { i, pad });
    await log.close();
    expect(readdirSync(dir).sort()).toEqual(['recpipe-audit.log', 'recpipe.log', 'recpipe1.log']);
    expect(numbers(join(dir, 'recpipe-audit.log'))).toEqual(range(0, 20).map((k) => k * 3));
  });
});
