/**
 * The Services a command gets (src/composition/services.ts): built on first use, one S3 client
 * per set however many features ask for the stores, released by `close`; the local profile's rig
 * keys need no running stack, and where the stack is is asked only when something needs it.
 */
import { jest } from '@jest/globals';
import { nullLogger } from '../../../src/adapters/log/file-logger.js';
import { loadConfig } from '../../../src/config/load.js';
import { openServices } from '../../../src/composition/services.js';
import { tempDir } from '../../helpers/tmp.js';

const awsConfig = () =>
  loadConfig({
    env: { RECPIPE_HOME: tempDir('rp-services-'), RECPIPE_PROFILE: 'aws', RECPIPE_REGION: 'eu-west-1' },
  }).config;

describe('openServices', () => {
  it('opens the local profile without a running stack: rig keys work, and the stores say how to start one', async () => {
    // Prepare
    const home = tempDir('rp-services-');
    const services = openServices(loadConfig({ env: { RECPIPE_HOME: home } }).config, nullLogger);
    try {
      // Act
      const keys = await services.keyStore();
      // Assess
      expect(services.profile).toBe('local');
      expect(keys.where).toBe(`${home}/local/keys.json`);
      expect(await keys.store.list()).toEqual([]);
      expect(() => services.endpoints()).toThrow(/no local stack is running/);
      await expect(services.storage()).rejects.toThrow(/no local stack is running/);
    } finally {
      services.close();
    }
  });

  it('builds one S3 client however often the stores are asked for, and releases it on close', async () => {
    // Prepare
    const services = openServices(awsConfig(), nullLogger);
    const storage = await services.storage();
    const destroy = jest.spyOn(storage.client, 'destroy');
    // Act
    const again = await services.storage();
    services.close();
    services.close();
    // Assess
    expect(again).toBe(storage);
    expect([storage.raw.bucket, storage.lake.bucket]).toEqual([services.config.rawBucket, services.config.lakeBucket]);
    expect(destroy).toHaveBeenCalledTimes(1);
  });

  it('runs the direct profile over the profile storage, which outlives the API handle', async () => {
    // Prepare
    const services = openServices(awsConfig(), nullLogger, 'rig-01');
    const storage = await services.storage();
    const destroy = jest.spyOn(storage.client, 'destroy');
    // Act
    const handle = await services.ingestApi();
    const auth = await handle.api.authenticate(handle.apiKey);
    handle.close();
    // Assess
    expect(services.profile).toBe('direct');
    expect(auth.rig).toBe('rig-01');
    expect(destroy).not.toHaveBeenCalled();
    services.close();
    expect(destroy).toHaveBeenCalledTimes(1);
  });
});
