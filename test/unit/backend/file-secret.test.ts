import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileSecretProvider, tokenSecretPath } from '../../../src/local/stores/file-secret-provider.js';
import { tempDir } from '../../helpers/tmp.js';

describe('local token secret', () => {
  it('is 32 random bytes created once with mode 0600, shared by later processes', async () => {
    // Prepare
    const dir = join(tempDir('rp-secret-'), 'local');
    const path = tokenSecretPath(dir);
    // Act
    const a = await new FileSecretProvider(path).tokenSecret();
    const b = await new FileSecretProvider(path).tokenSecret();
    // Assess
    expect(a).toHaveLength(32);
    expect(b).toEqual(a);
    expect(readFileSync(path)).toEqual(a);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('refuses a truncated secret file with a fix', async () => {
    const path = join(tempDir('rp-secret-'), 'token-secret');
    writeFileSync(path, 'short');
    await expect(new FileSecretProvider(path).tokenSecret()).rejects.toMatchObject({ code: 'config', hint: expect.stringContaining('delete the file') });
  });
});
