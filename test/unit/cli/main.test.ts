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
    expect(t1.err()).toBe('error: --connections must be a whole number from 1 to 64, got "abc"\n');
    const t2 = io({ RECPIPE_HOME: home });
    expect(await main(['pull', '--input', input, '--dest', dest, '--concurrency', '0'], t2.io)).toBe(2);
    expect(t2.err()).toBe('error: --concurrency must be a whole number from 1 to 64, got "0"\n');
    expect(readdirSync(dest)).toEqual([]);
  });

  it('refuses upload --concurrency abc and verify --grace-hours abc with one line and exit 2, before doing anything', async () => {
    // Prepare: a home the commands would write their logs into if they started.
    const home = tempDir('rp-');
    const upload = io({ RECPIPE_HOME: home });
    const verify = io({ RECPIPE_HOME: home });
    // Act
    const uploaded = await main(['upload', tempDir('rp-sessions-'), '--concurrency', 'abc'], upload.io);
    const verified = await main(['verify', '--grace-hours', 'abc'], verify.io);
    // Assess: the flag, the value and what is accepted, on one line; nothing sent, no log written.
    expect(uploaded).toBe(2);
    expect(upload.err()).toBe('error: --concurrency must be a whole number from 1 to 64, got "abc"\n');
    expect(verified).toBe(2);
    expect(verify.err()).toBe('error: --grace-hours must be a number from 0 to 8760, got "abc"\n');
    expect(upload.out() + verify.out()).toBe('');
    expect(readdirSync(home)).toEqual([]);
  });

  it('with --json, a malformed flag is a JSON error on stdout naming the flag, the value and what is accepted', async () => {
    const t = io({ RECPIPE_HOME: tempDir('rp-') });
    expect(await main(['--json', 'watch', tempDir('rp-root-'), '--quiet-period', '-5'], t.io)).toBe(2);
    expect(JSON.parse(t.out()).error).toMatchObject({
      code: 'usage',
      message: '--quiet-period must be a whole number from 0 to 86400, got "-5"',
      details: { flag: '--quiet-period', value: '-5', accepts: 'a whole number from 0 to 86400' },
    });
    expect(t.err()).toBe('');
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
