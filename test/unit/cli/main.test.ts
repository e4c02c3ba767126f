import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../../src/cli/main.js';
import { tempDir } from '../../helpers/tmp.js';

function io(env: Record<string, string>) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  return { io: { stdout, stderr, env, isTTY: false }, out: () => out, err: () => err };
}

describe('cli edge', () => {
  it('prints help with an example and exits 0', async () => {
    const t = io({ RECPIPE_HOME: tempDir('rp-') });
    const code = await main(['--help'], t.io);
    expect(code).toBe(0);
    expect(t.out()).toContain('Examples:');
  });

  it('exits 2 on an unknown command and on a bad config value, naming it', async () => {
    const home = tempDir('rp-');
    const t1 = io({ RECPIPE_HOME: home });
    expect(await main(['frobnicate'], t1.io)).toBe(2);
    expect(t1.err()).toMatch(/unknown command 'frobnicate'/);
    const t2 = io({ RECPIPE_HOME: home, RECPIPE_CONCURRENCY: '0' });
    expect(await main(['config', 'show'], t2.io)).toBe(2);
    expect(t2.err()).toMatch(/error: config key "concurrency" .* "0" is below the minimum 1/);
    expect(t2.err()).toMatch(/fix: /);
  });

  it('exits 2 on a pull flag that is not a whole number in range, naming the flag, before any download', async () => {
    const home = tempDir('rp-');
    const dest = tempDir('rp-dest-');
    const input = join(home, 'files.json');
    writeFileSync(input, '{"files":[]}');
    const t1 = io({ RECPIPE_HOME: home });
    expect(await main(['pull', '--input', input, '--dest', dest, '--connections', 'abc'], t1.io)).toBe(2);
    expect(t1.err()).toMatch(/error: config key "connections" from flag --connections: "abc" is not a whole number/);
    const t2 = io({ RECPIPE_HOME: home });
    expect(await main(['pull', '--input', input, '--dest', dest, '--concurrency', '0'], t2.io)).toBe(2);
    expect(t2.err()).toMatch(/error: config key "concurrency" from flag --concurrency: "0" is below the minimum 1/);
    expect(readdirSync(dest)).toEqual([]);
  });

  it('config show --json prints only JSON, with sources and masked secrets, and logs to RECPIPE_HOME', async () => {
    const home = tempDir('rp-');
    const t = io({ RECPIPE_HOME: home, RECPIPE_API_KEY: 'rpk_abcdefabcdef_canarycanarycanary' });
    expect(await main(['--json', 'config', 'show'], t.io)).toBe(0);
    const data = JSON.parse(t.out());
    expect(data.values.apiKey).toBe('***');
    expect(data.sources.apiKey).toBe('environment RECPIPE_API_KEY');
    expect(t.out()).not.toContain('canary');
    expect(t.err()).toBe('');
    await main(['--json', 'config', 'show'], io({ RECPIPE_HOME: home, RECPIPE_CONCURRENCY: 'x' }).io);
    expect(readFileSync(join(home, 'logs', 'recpipe.log'), 'utf8')).toContain('"event":"command.failed"');
  });
});
