import { fileNameProblem, quoteName } from '../../../src/core/names.js';
import { escapeHidden, hiddenCharacterProblem } from '../../../src/core/hidden-chars.js';

describe('file names with hidden characters', () => {
  const refused: [string, string][] = [
    ['report\u202Eslx.bin', 'U+202E (RIGHT-TO-LEFT OVERRIDE) at character 7'],
    ['a\u202Ab.bin', 'U+202A (LEFT-TO-RIGHT EMBEDDING)'],
    ['a\u2066b.bin', 'U+2066 (LEFT-TO-RIGHT ISOLATE)'],
    ['a\u2069b.bin', 'U+2069 (POP DIRECTIONAL ISOLATE)'],
    ['a\u200Fb.bin', 'U+200F (RIGHT-TO-LEFT MARK)'],
    ['line\u2028two.bin', 'U+2028 (LINE SEPARATOR)'],
    ['para\u2029two.bin', 'U+2029 (PARAGRAPH SEPARATOR)'],
    ['bell\u0007.bin', 'U+0007 at character 5, a control character'],
    ['c1\u0085.bin', 'U+0085 (NEXT LINE) at character 3, a C1 control character'],
    ['zw\u200Bsp.bin', 'U+200B (ZERO WIDTH SPACE)'],
    ['zw\u200Dj.bin', 'U+200D (ZERO WIDTH JOINER)'],
    ['\uFEFFbom.bin', 'U+FEFF (ZERO WIDTH NO-BREAK SPACE) at character 1'],
    ['soft\u00ADhyphen.bin', 'U+00AD (SOFT HYPHEN)'],
  ];
  it.each(refused)('refuses %j, naming the character by code point', (name, expected) => {
    const problem = fileNameProblem(name);
    expect(problem).toContain(expected);
    expect(problem).not.toMatch(/[\u2028\u2029\n]/);
  });

  it('counts the position in characters, not UTF-16 units', () => {
    expect(hiddenCharacterProblem('😀\u202E.bin')).toContain('at character 2');
  });

  it('accepts ordinary non-ASCII names', () => {
    for (const name of ['données_été.bin', 'Übung 1.bin', '実験-01.bin', 'ναι.txt', 'emoji😀.bin']) expect(fileNameProblem(name)).toBeUndefined();
  });

  it('still lets an archived name be read back (keys of objects stored before the rule)', () => {
    expect(fileNameProblem('a\u202Eb.bin', { archived: true })).toBeUndefined();
    expect(fileNameProblem('a\u0007b.bin', { archived: true })).toBe('contains a control character');
    expect(fileNameProblem('../x', { archived: true })).toBe('contains a path separator');
  });

  it('quotes a name for a message with its hidden characters spelled out, on one line', () => {
    expect(quoteName('a\u202Eb\u2028c.bin')).toBe('"a\\u{202E}b\\u{2028}c.bin"');
    expect(escapeHidden('/data/x\u202E.bin')).toBe('/data/x\\u{202E}.bin');
  });
});
