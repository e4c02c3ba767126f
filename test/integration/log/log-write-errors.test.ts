/**
 * A log that cannot be written (its folder removed under a running upload, or never creatable)
 * is reported once on stderr and never throws: the work it describes goes on.
 */
import { jest } from '@jest/globals';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { logTo, tick } from '../../helpers/any-logger.js';
import { tempDir } from '../../helpers/tmp.js';

function captureStderr(): { reports: () => string[]; restore: () => void } {
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  return {
    reports: () => spy.mock.calls.map((c) => String(c[0])).filter((s) => s.startsWith('recpipe: cannot write the log')),
    restore: () => spy.mockRestore(),
  };
}

describe('log write errors', () => {
  it('a removed log folder is reported once on stderr, and logging and close() go on without throwing', async () => {
    const logs = join(tempDir('rp-log-'), 'logs');
    const path = join(logs, 'recpipe.log');
    const err = captureStderr();
    try {
      const log = logTo({ path, level: 'info', audit: { path: join(logs, 'recpipe-audit.log'), keep: () => true } });
      rmSync(logs, { recursive: true });
      for (let i = 0; i < 5; i++) {
        expect(() => log.log('info', 'upload.part', { i })).not.toThrow();
        await tick();
      }
      await expect(log.close()).resolves.toBeUndefined();
      expect(() => log.log('warn', 'retry', { what: 'commit' })).not.toThrow();
      expect(err.reports()).toEqual([expect.stringMatching(new RegExp(`^recpipe: cannot write the log ${logs}/recpipe(-audit)?\\.log: .*ENOENT.*\\n$`))]);
      expect(existsSync(logs)).toBe(false);
    } finally {
      err.restore();
    }
  });

  it('a log folder that cannot be created is reported once, not thrown', async () => {
    const home = tempDir('rp-log-');
    writeFileSync(join(home, 'logs'), 'a file where the folder should be');
    const path = join(home, 'logs', 'recpipe.log');
    const err = captureStderr();
    try {
      const log = logTo({ path, level: 'info' });
      log.log('info', 'cli.start');
      log.child({ sessionId: 's' }).log('error', 'upload.failed');
      await log.close();
      expect(err.reports()).toEqual([expect.stringMatching(new RegExp(`^recpipe: cannot write the log ${path}: `))]);
    } finally {
      err.restore();
    }
  });
});
