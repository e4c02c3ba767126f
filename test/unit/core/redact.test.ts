import { redact, redactString } from '../../../src/adapters/log/redact.js';

describe('log redaction', () => {
  it('masks keys, tokens, URL signatures and secret fields', () => {
    const key = 'rpk_AbCdEf123456_' + 'Z'.repeat(43);
    const token = 'rpt1.eyJyaWciOiJ4In0.c2lnbmF0dXJl';
    const url = 'http://127.0.0.1:9/raw/x?X-Amz-Credential=AKIA%2F20210101&X-Amz-Signature=deadbeef&x-id=PutObject';
    const out = JSON.stringify(redact({ msg: `auth with ${key}`, headers: { authorization: `Bearer ${token}` }, url, nested: [{ token }], apiKey: key }));
    expect(out).not.toContain(key.slice(4));
    expect(out).not.toContain('c2lnbmF0dXJl');
    expect(out).not.toContain('deadbeef');
    expect(out).not.toContain('AKIA');
    expect(out).toContain('x-id=PutObject');
    expect(redactString('nothing secret here')).toBe('nothing secret here');
  });
});
