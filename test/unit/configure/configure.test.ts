import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tmp.js';

const outputs = {
  Recpipe: {
    ApiUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com',
    Region: 'eu-west-1',
    RawBucket: 'raw-b',
    LakeBucket: 'lake-b',
    KeysTable: 'keys-t',
    GlueDatabase: 'recpipe',
    AthenaWorkgroup: 'recpipe',
    AlarmTopic: 'arn:x',
  },
};

describe('recpipe configure --from-stack', () => {
  it('writes the aws profile and keeps the rest of the config', async () => {
    const home = tempDir('rp-conf-');
    writeFileSync(join(home, 'config.json'), JSON.stringify({ profiles: { local: { concurrency: 2 }, aws: { apiKey: 'rpk_keepme' } } }));
    writeFileSync(join(home, 'outputs.json'), JSON.stringify(outputs));
    const r = await runCli(['configure', '--from-stack', join(home, 'outputs.json'), '--default'], { RECPIPE_HOME: home });
    expect(r.code).toBe(0);
    const cfg = JSON.parse(readFileSync(join(home, 'config.json'), 'utf8'));
    expect(cfg.profile).toBe('aws');
    expect(cfg.profiles.local).toEqual({ concurrency: 2 });
    expect(cfg.profiles.aws).toMatchObject({
      apiKey: 'rpk_keepme',
      apiUrl: outputs.Recpipe.ApiUrl,
      region: 'eu-west-1',
      rawBucket: 'raw-b',
      lakeBucket: 'lake-b',
      keysTable: 'keys-t',
    });
    const shown = JSON.parse((await runCli(['--json', 'config', 'show'], { RECPIPE_HOME: home })).out);
    expect(shown.values).toMatchObject({ profile: 'aws', rawBucket: 'raw-b', apiKey: '***' });
  });

  it('refuses a missing or foreign file with its path and exit 2', async () => {
    const home = tempDir('rp-conf-');
    const missing = await runCli(['configure', '--from-stack', join(home, 'nope.json')], { RECPIPE_HOME: home });
    expect(missing.code).toBe(2);
    expect(missing.err).toContain(join(home, 'nope.json'));
    writeFileSync(join(home, 'other.json'), JSON.stringify({ Other: { Foo: 'bar' } }));
    const foreign = await runCli(['configure', '--from-stack', join(home, 'other.json')], { RECPIPE_HOME: home });
    expect(foreign.code).toBe(2);
    expect(foreign.err).toMatch(/holds 0 recpipe stacks/);
  });
});
