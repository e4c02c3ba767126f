import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFileLogger } from '../../../src/adapters/log/file-logger.js';
import { createAppLogger, logFiles } from '../../../src/adapters/log/log-files.js';
import { tempDir } from '../../helpers/tmp.js';
import { waitFor } from '../../helpers/cli.js';

const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

describe('file logger', () => {
  it('writes JSON lines with the base fields, and redacts secrets', async () => {
    const path = join(tempDir('rp-log-'), 'logs', 'recpipe.log');
    const log = createFileLogger({ path, level: 'info', fields: { component: 'test' } });
    // A field no declaration has (`apiKey`) is a type error, yet the logger must still mask it if one slips through.
    log.child({ sessionId: 'rig/20210301_100000', apiKey: 'rp_secret_value' }).log('info', 'upload.already_uploaded', { revision: 1 });
    log.log('debug', 'upload.batch', { call: 1, waited: 0, files: 'a.bin:1', ms: 3 });
    await log.close();
    const [l] = lines(path);
    expect(l).toMatchObject({ level: 'info', event: 'upload.already_uploaded', component: 'test', sessionId: 'rig/20210301_100000' });
    expect(JSON.stringify(lines(path))).not.toContain('rp_secret_value');
    expect(lines(path)).toHaveLength(1);
  });

  it('keeps lines logged after close (work finishing late) and never throws', async () => {
    const path = join(tempDir('rp-log-'), 'recpipe.log');
    const log = createFileLogger({ path, level: 'info' });
    const child = log.child({ sessionId: 's' });
    log.log('info', 'local.down');
    await log.close();
    await log.close();
    expect(() => child.log('warn', 'retry', { what: 'commit', attempt: 3, retriesLeft: 0, waitMs: 0, error: 'gave up', code: 'unavailable' })).not.toThrow();
    child.log('debug', 'events.offline', { error: 'late detail' });
    // The late line is appended on its own: wait for it to land, not for a time.
    await waitFor(() => lines(path).length >= 2, 10_000, 'the late line');
    expect(lines(path).map((l) => l.event)).toEqual(['local.down', 'retry']);
    expect(lines(path)[1]).toMatchObject({ sessionId: 's', attempt: 3 });
  });

  it('writes lines logged while closing before close() resolves, and lines after it at once, in order', async () => {
    const path = join(tempDir('rp-log-'), 'recpipe.log');
    const log = createFileLogger({ path, level: 'info' });
    const retry = (attempt: number) => log.log('warn', 'retry', { what: 'commit', attempt, retriesLeft: 0, waitMs: 0, error: 'x', code: 'unavailable' });
    retry(1);
    const closed = log.close();
    retry(2);
    await closed;
    expect(lines(path).map((l) => l.attempt)).toEqual([1, 2]);
    retry(3);
    // Synchronous: the process may exit right after this line.
    expect(lines(path).map((l) => l.attempt)).toEqual([1, 2, 3]);
  });

  it('tees audit lines into a log of their own that the main log rotating never reaches', async () => {
    const home = tempDir('rp-log-');
    const log = createAppLogger({ home, level: 'info' });
    const commit = { sessionId: 'rig-a/20210301_100000', files: 2, bytes: 10 };
    log.log('info', 'keys.created', { id: 'abc', rig: 'rig-a', store: 'keys.json' });
    log.log('info', 'api.commit', { ...commit, status: 'committed' });
    log.log('info', 'api.commit', { ...commit, status: 'already_committed' });
    log.log('info', 'api.multipart.completed', { key: 'raw/rig-a/20210301_100000/a.bin', parts: 2, sessionId: commit.sessionId });
    log.log('info', 'api.request', { route: 'POST /v1/commit', status: 200, ms: 1 });
    await log.close();
    log.log('info', 'keys.revoked', { id: 'abc', rig: 'rig-a' });
    const files = logFiles(home);
    expect(lines(files.audit).map((l) => `${l.event} ${l.status ?? ''}`.trim())).toEqual([
      'keys.created',
      'api.commit committed',
      'api.multipart.completed',
      'keys.revoked',
    ]);
    expect(lines(files.main)).toHaveLength(6);
  });
});
