/** Attack: a config that would send the API key in the clear is a config error naming the key and the fix. */
import { rmSync } from 'node:fs';
import { loadConfig } from '../../src/config/load.js';
import { tempDir } from '../helpers/tmp.js';

describe('attack: an http:// API URL to a remote host', () => {
  let home: string;
  beforeEach(() => {
    home = tempDir('rp-sec-config-');
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it.each(['http://api.example.org', 'http://10.0.0.5:8080/', 'http://[2001:db8::1]/', 'ftp://api.example.org', 'not a url'])(
    'refuses %s naming apiUrl and https',
    (url) => {
      const load = () => loadConfig({ env: { RECPIPE_HOME: home, RECPIPE_API_URL: url } });
      expect(load).toThrow(
        expect.objectContaining({ code: 'config', message: expect.stringContaining('config key "apiUrl" from environment RECPIPE_API_URL') }),
      );
      expect(load).toThrow(/https:\/\//);
    },
  );

  it.each(['https://abc.execute-api.eu-west-1.amazonaws.com', 'http://127.0.0.1:4100', 'http://localhost:4100', 'http://[::1]:4100'])('accepts %s', (url) => {
    const { errors, config } = loadConfig({ env: { RECPIPE_HOME: home, RECPIPE_API_URL: url } });
    expect(errors).toEqual([]);
    expect(config.apiUrl).toBe(url);
  });
});
