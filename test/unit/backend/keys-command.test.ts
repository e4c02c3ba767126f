import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../../src/cli/main.js';
import { ensureLocalRigKey } from '../../../src/local/local-rig-key.js';
import { FileKeyStore } from '../../../src/local/stores/file-key-store.js';
import { hashApiKey } from '../../../src/backend/keys/api-key.js';
import { tempDir } from '../../helpers/tmp.js';

async function cli(home: string, argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await main(argv, { stdout, stderr, env: { RECPIPE_HOME: home }, isTTY: false });
  return { code, out, err };
}

describe('recpipe keys', () => {
  it('create shows the key once with a warning, list and revoke never show it, and the log never holds it', async () => {
    // Prepare
    const home = tempDir('rp-keys-');
    // Act
    const created = await cli(home, ['keys', 'create', '--rig', 'rig-01', '--label', 'lab 2']);
    const json = await cli(home, ['--json', 'keys', 'create', '--rig', 'rig-02']);
    const apiKey = /rpk_\S+/.exec(created.out)![0];
    const { id, rig, apiKey: key2 } = JSON.parse(json.out);
    const revoked = await cli(home, ['keys', 'revoke', id]);
    const listed = await cli(home, ['keys', 'list']);
    const listedJson = await cli(home, ['--json', 'keys', 'list']);
    // Assess
    expect(created.code).toBe(0);
    expect(created.err).toMatch(/shown only once and cannot be shown again/);
    expect(rig).toBe('rig-02');
    expect(key2).toMatch(/^rpk_/);
    expect(revoked.out).toContain(`revoked key ${id} of rig rig-02`);
    expect(listed.out).toMatch(/ID\s+RIG\s+LABEL\s+CREATED\s+REVOKED/);
    expect(listed.out).toMatch(/rig-01\s+lab 2/);
    const rows = JSON.parse(listedJson.out);
    expect(rows.map((r: { rig: string }) => r.rig).sort()).toEqual(['rig-01', 'rig-02']);
    expect(rows.find((r: { id: string }) => r.id === id).revokedAt).toEqual(expect.any(String));
    const everything =
      listed.out +
      listedJson.out +
      revoked.out +
      readFileSync(join(home, 'logs', 'recpipe.log'), 'utf8') +
      readFileSync(join(home, 'local', 'keys.json'), 'utf8');
    for (const k of [apiKey, key2]) {
      expect(everything).not.toContain(k);
      expect(everything).not.toContain(k.slice(17));
    }
    expect(listedJson.out).not.toContain(hashApiKey(apiKey));
  });

  it('rejects a bad rig name (exit 2) and an unknown id (exit 1) with a fix', async () => {
    const home = tempDir('rp-keys-');
    const bad = await cli(home, ['keys', 'create', '--rig', '../Rig']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--rig must be a rig name: 1-63 lowercase letters, digits or dashes .*, got "..\/Rig"/);
    const unknown = await cli(home, ['keys', 'revoke', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/no api key with id "nope"[\s\S]*fix: list the ids/);
  });

  it('ensureLocalRigKey enrols local-rig once, writes the key 0600, and re-enrols after a revoke', async () => {
    // Prepare
    const home = tempDir('rp-keys-');
    // Act
    const first = await ensureLocalRigKey(home);
    const second = await ensureLocalRigKey(home);
    const store = new FileKeyStore(join(home, 'local', 'keys.json'));
    await store.revoke(first.id, new Date());
    const third = await ensureLocalRigKey(home);
    // Assess
    expect(first).toMatchObject({ rig: 'local-rig', created: true, path: join(home, 'local', 'rig-key') });
    expect(second).toEqual({ ...first, created: false });
    expect(third.created).toBe(true);
    expect(third.id).not.toBe(first.id);
    const key = readFileSync(first.path, 'utf8').trim();
    expect(hashApiKey(key)).toBe((await store.get(third.id))?.hash);
    expect(statSync(first.path).mode & 0o777).toBe(0o600);
  });
});
