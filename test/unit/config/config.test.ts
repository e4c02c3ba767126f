import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/load.js';
import { envName, redactConfig } from '../../../src/config/schema.js';
import { RecpipeError } from '../../../src/core/errors.js';
import { tempDir } from '../../helpers/tmp.js';

const home = () => tempDir('recpipe-config-');

describe('config resolution', () => {
  it('orders layers: defaults < file < environment < flags', () => {
    // Prepare
    const h = home();
    writeFileSync(join(h, 'config.json'), JSON.stringify({ profiles: { local: { concurrency: 3, partSizeMiB: 8, quietPeriodSec: 5 } } }));
    const env = { RECPIPE_HOME: h, RECPIPE_PART_SIZE_MIB: '12', RECPIPE_QUIET_PERIOD_SEC: '7' };
    // Act
    const { config, sources } = loadConfig({ env, flags: { quietPeriodSec: 9 } });
    // Assess
    expect(config.home).toBe(h);
    expect(config.concurrency).toBe(3);
    expect(config.partSizeMiB).toBe(12);
    expect(config.quietPeriodSec).toBe(9);
    expect(config.multipartThresholdMiB).toBe(32);
    expect(sources.concurrency).toContain('config.json');
    expect(sources.partSizeMiB).toBe('environment RECPIPE_PART_SIZE_MIB');
    expect(sources.quietPeriodSec).toBe('flag --quiet-period-sec');
  });

  it('names the key, the value and the source of a bad value', () => {
    const h = home();
    expect(() => loadConfig({ env: { RECPIPE_HOME: h, RECPIPE_PART_SIZE_MIB: '2' } })).toThrow(
      /config key "partSizeMiB" from environment RECPIPE_PART_SIZE_MIB: "2" is below the minimum 5/,
    );
    expect(() => loadConfig({ env: { RECPIPE_HOME: h, RECPIPE_CONCURRENCY: 'many' } })).toThrow(/"many" is not a whole number/);
    expect(() => loadConfig({ env: { RECPIPE_HOME: h, RECPIPE_LOG_LEVEL: 'loud' } })).toThrow(/is not one of debug, info, warn, error/);
  });

  it('rejects an unknown profile and a broken config file with the path', () => {
    const h = home();
    expect(() => loadConfig({ env: { RECPIPE_HOME: h }, profile: 'gcp' })).toThrow(/unknown profile "gcp"/);
    writeFileSync(join(h, 'config.json'), '{ nope');
    let err: unknown;
    try {
      loadConfig({ env: { RECPIPE_HOME: h } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RecpipeError);
    expect((err as RecpipeError).code).toBe('config');
    expect((err as Error).message).toContain(join(h, 'config.json'));
  });

  it('names the field of a config file whose outline is wrong (a config error, exit 2)', () => {
    const h = home();
    writeFileSync(join(h, 'config.json'), JSON.stringify({ profile: 'local', profiles: { local: 7 } }));
    expect(() => loadConfig({ env: { RECPIPE_HOME: h } })).toThrow(
      expect.objectContaining({ code: 'config', message: `config file ${join(h, 'config.json')} cannot be read: profiles.local must be an object (got 7)` }),
    );
  });

  it('warns about unknown keys instead of failing', () => {
    const h = home();
    writeFileSync(join(h, 'config.json'), JSON.stringify({ profile: 'aws', profiles: { aws: { colour: 'blue', region: 'eu-west-1' } } }));
    const r = loadConfig({ env: { RECPIPE_HOME: h } });
    expect(r.config.profile).toBe('aws');
    expect(r.config.region).toBe('eu-west-1');
    expect(r.warnings[0]).toMatch(/unknown config key "colour"/);
  });

  it('maps keys to RECPIPE_* names and masks secrets', () => {
    expect(envName('multipartThresholdMiB')).toBe('RECPIPE_MULTIPART_THRESHOLD_MIB');
    const { config } = loadConfig({ env: { RECPIPE_HOME: home(), RECPIPE_API_KEY: 'rpk_abcdefabcdef_secretsecret' } });
    expect(config.apiKey).toBe('rpk_abcdefabcdef_secretsecret');
    expect(JSON.stringify(redactConfig(config))).not.toContain('secretsecret');
  });
});
