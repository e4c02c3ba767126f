/** Tables fitted to the terminal: never wider than asked, ids whole, columns given up last-first and named. Pure. */
import { DEFAULT_WIDTH, fitTable, wrapText } from '../../../src/core/text-table.js';
import { formatSize, sessionLines } from '../../../src/core/query/session-rows.js';

const headers = ['session_id', 'recorded_at', 'rig', 'notes', 'files', 'size'];
const rows = [
  ['rig-01/20210228_161221', '2021-02-28 16:12:21', 'rig-01', 'a long free-text note about how the session went, with drift', '3', '1.2 MB'],
  ['rig-02/20210301_080000', '2021-03-01 08:00:00', 'rig-02', 'short', '12', '600.0 MB'],
];
const widest = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));

describe('fitted tables', () => {
  it('show everything at natural width when it fits', () => {
    const t = fitTable(headers, rows, 200);
    expect(t.hidden).toEqual([]);
    expect(t.text).toContain('a long free-text note about how the session went, with drift');
    expect(t.text.split('\n')[1]).toMatch(/^-+ {2}-+/);
  });

  it.each([120, 80, 60, 40])('never exceed %i columns, shortening the widest cells before giving up columns', (width) => {
    const t = fitTable(headers, rows, width, { dropOrder: ['notes', 'rig', 'recorded_at'] });
    expect(widest(t.text)).toBeLessThanOrEqual(width);
    // The id people copy stays whole.
    expect(t.text).toContain('rig-01/20210228_161221');
    expect(t.hidden.every((h) => ['notes', 'rig', 'recorded_at'].includes(h))).toBe(true);
    if (width === 80) {
      expect(t.hidden).toEqual([]);
      expect(t.text).toContain('…');
    }
  });

  it('use a default width where the terminal says 0 or nothing, and never fail on a tiny one', () => {
    expect(widest(fitTable(headers, rows, 0).text)).toBeLessThanOrEqual(DEFAULT_WIDTH);
    expect(widest(fitTable(headers, rows, NaN).text)).toBeLessThanOrEqual(DEFAULT_WIDTH);
    const tiny = fitTable(headers, rows, 10);
    expect(widest(tiny.text)).toBeLessThanOrEqual(10);
    expect(tiny.hidden).toHaveLength(5);
    expect(fitTable(['a'], [], 0).text).toBe('a\n-');
  });

  it('align numbers and sizes on the right', () => {
    const lines = fitTable(
      ['id', 'files', 'size'],
      [
        ['a', '3', '1.2 MB'],
        ['b', '12', '600.0 MB'],
      ],
      100,
    ).text.split('\n');
    expect(lines[2]).toBe('a       3    1.2 MB');
    expect(lines[3]).toBe('b      12  600.0 MB');
  });
});

describe('one row per session', () => {
  it('folds the files of a session into one line with their count and size', () => {
    const f = (id: string, bytes: number, fatigue: number) => ({
      session_id: id,
      recorded_at: 't',
      rig: id.split('/')[0],
      bytes,
      fatigue,
      key: `${id}/${bytes}`,
    });
    const { columns, lines } = sessionLines([f('a/1', 1500, 3), f('a/1', 500, 3), f('b/2', 10, 5)], ['fatigue']);
    expect(columns).toEqual(['session_id', 'recorded_at', 'rig', 'fatigue', 'files', 'size']);
    expect(lines).toEqual([
      { session_id: 'a/1', recorded_at: 't', rig: 'a', fatigue: 3, files: 2, size: '2.0 kB' },
      { session_id: 'b/2', recorded_at: 't', rig: 'b', fatigue: 5, files: 1, size: '10 B' },
    ]);
    expect(formatSize(600e6)).toBe('600.0 MB');
  });
});

describe('wrapped notes', () => {
  it('break at spaces within the width and cut a word longer than it', () => {
    expect(wrapText('3 more columns not shown: notes, temperature_c', 20)).toBe('3 more columns not\nshown: notes,\ntemperature_c');
    expect(wrapText('abcdefghij', 4)).toBe('abc…');
    expect(wrapText('\nfooter', 0)).toBe('\nfooter');
  });
});
