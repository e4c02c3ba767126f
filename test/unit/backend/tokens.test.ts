import { issueToken, signToken, verifyToken } from '../../../src/backend/auth/tokens.js';
import { redactString } from '../../../src/adapters/log/redact.js';

const secret = Buffer.alloc(32, 1);
const t0 = new Date('2026-03-01T10:00:00Z');
const at = (sec: number) => new Date(t0.getTime() + sec * 1000);

describe('tokens', () => {
  it('verifies a fresh token and returns its rig and key id', () => {
    const { token } = issueToken('rig-a', 'abcdefghijkl', t0, 900, secret);
    expect(verifyToken(token, secret, at(899))).toEqual({ rig: 'rig-a', kid: 'abcdefghijkl', iat: t0.getTime() / 1000, exp: t0.getTime() / 1000 + 900 });
  });

  it('refuses an expired token with token_expired', () => {
    const { token } = issueToken('rig-a', 'abcdefghijkl', t0, 900, secret);
    expect(() => verifyToken(token, secret, at(900))).toThrow(expect.objectContaining({ code: 'token_expired' }));
  });

  it('refuses a token whose payload was changed (another rig)', () => {
    const { token } = issueToken('rig-a', 'abcdefghijkl', t0, 900, secret);
    const [p, , sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ rig: 'rig-b', kid: 'abcdefghijkl', iat: 0, exp: 9e9 })).toString('base64url');
    expect(() => verifyToken(`${p}.${forged}.${sig}`, secret, t0)).toThrow(expect.objectContaining({ code: 'auth' }));
  });

  it('refuses a token with a changed or truncated signature', () => {
    const { token } = issueToken('rig-a', 'abcdefghijkl', t0, 900, secret);
    const flipped = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    expect(() => verifyToken(flipped, secret, t0)).toThrow(expect.objectContaining({ code: 'auth' }));
    expect(() => verifyToken(token.slice(0, -5), secret, t0)).toThrow(expect.objectContaining({ code: 'auth' }));
    expect(() => verifyToken(token.split('.').slice(0, 2).join('.') + '.', secret, t0)).toThrow(expect.objectContaining({ code: 'auth' }));
  });

  it('verifies only the canonical spelling of its MAC: the three other strings that decode to the same bytes are refused', () => {
    const { token } = issueToken('rig-a', 'abcdefghijkl', t0, 900, secret);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(token.slice(-1));
    // 32 bytes in 43 characters: the last one carries 4 bits of the MAC and 2 unused ones.
    expect(last & 3).toBe(0);
    const spellings = [1, 2, 3].map((bits) => token.slice(0, -1) + alphabet[last | bits]);
    for (const s of spellings) {
      expect(Buffer.from(s.split('.')[2], 'base64url')).toEqual(Buffer.from(token.split('.')[2], 'base64url'));
      expect(() => verifyToken(s, secret, t0)).toThrow(expect.objectContaining({ code: 'auth' }));
    }
    expect(verifyToken(token, secret, t0).rig).toBe('rig-a');
  });

  it('refuses a token signed with another secret, and garbage', () => {
    const { token } = issueToken('rig-a', 'abcdefghijkl', t0, 900, Buffer.alloc(32, 2));
    expect(() => verifyToken(token, secret, t0)).toThrow(expect.objectContaining({ code: 'auth' }));
    for (const junk of ['', 'rpt1', 'rpt1..', 'rpt2.a.b', 'a.b.c.d', signToken({ rig: 1, kid: 'k', iat: 0, exp: 9e9 } as never, secret)]) {
      expect(() => verifyToken(junk, secret, t0)).toThrow(expect.objectContaining({ code: 'auth' }));
    }
  });

  it('has a format the log redaction masks', () => {
    const { token } = issueToken('rig-a', 'abcdefghijkl', t0, 900, secret);
    expect(redactString(`sent ${token} now`)).toBe('sent rpt1.*** now');
  });
});
