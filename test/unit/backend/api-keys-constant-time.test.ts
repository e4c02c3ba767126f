import { jest } from '@jest/globals';

// Wrap crypto.timingSafeEqual before the key module loads, to see that comparisons go through it.
const real = await import('node:crypto');
const timingSafeEqual = jest.fn(real.timingSafeEqual);
jest.unstable_mockModule('node:crypto', () => ({ ...real, default: real, timingSafeEqual }));
const { generateApiKey, keyMatches } = await import('../../../src/backend/keys/api-key.js');
const { issueToken, verifyToken } = await import('../../../src/backend/auth/tokens.js');

describe('secret comparisons', () => {
  it('compare key hashes in constant time, matching or not', () => {
    // Prepare
    const { apiKey, record } = generateApiKey('rig-a', new Date());
    timingSafeEqual.mockClear();
    // Act
    const good = keyMatches(apiKey, record.hash);
    const bad = keyMatches(apiKey.slice(0, -1) + (apiKey.endsWith('A') ? 'B' : 'A'), record.hash);
    const unknownId = keyMatches(apiKey, '');
    // Assess
    expect([good, bad, unknownId]).toEqual([true, false, false]);
    expect(timingSafeEqual).toHaveBeenCalledTimes(3);
  });

  it('compare token signatures in constant time', () => {
    const secret = Buffer.alloc(32, 3);
    const { token } = issueToken('rig-a', 'abcdefghijkl', new Date(0), 60, secret);
    timingSafeEqual.mockClear();
    verifyToken(token, secret, new Date(0));
    expect(timingSafeEqual).toHaveBeenCalledTimes(1);
  });
});
