import { jsonDepthExceeds } from '../../../src/backend/http/json-depth.js';

describe('the request body depth bound', () => {
  it('counts arrays and objects, not brackets inside strings', () => {
    expect(jsonDepthExceeds('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(jsonDepthExceeds('{"a":[{"b":[[1]]}]}', 4)).toBe(true);
    expect(jsonDepthExceeds(JSON.stringify({ s: '[[[[[[[[{{{{{{' }), 2)).toBe(false);
    expect(jsonDepthExceeds(JSON.stringify({ s: 'quote \\" [[[[' }), 1)).toBe(false);
    expect(jsonDepthExceeds(JSON.stringify({ s: 'backslash \\' }) + '[[[', 2)).toBe(true);
  });

  it('finds 500,000 levels without recursion', () => {
    expect(jsonDepthExceeds('['.repeat(500_000) + ']'.repeat(500_000))).toBe(true);
  });
});
