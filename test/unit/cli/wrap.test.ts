import { wrapWords } from '../../../src/cli/render/wrap.js';

describe('wrapWords', () => {
  it('breaks at spaces, never mid-word, and keeps every word', () => {
    const text = 'metadata.txt: line 3: "fatigue" is not a number; write a number, e.g. fatigue: 3';
    const out = wrapWords(text, 20);
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(20);
    expect(out.split(/\s+/)).toEqual(text.split(/\s+/));
  });

  it('breaks a word longer than a line (a path) where the line ends, losing nothing', () => {
    const text = 'see /a/very/long/path/that/does/not/fit here';
    const out = wrapWords(text, 10);
    expect(out.split('\n').every((l) => l.length <= 10)).toBe(true);
    expect(out.replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
  });
});
