import fc from 'fast-check';
import { parseSessionName, partitionDate, recordedAt } from '../../../src/core/session/name.js';

describe('session names', () => {
  it.each([
    ['20200229_000000', true],
    ['20000229_120000', true],
    ['20210228_235959', true],
    ['20210229_161221', false],
    ['19000229_000000', false],
    ['20211301_000000', false],
    ['20210100_000000', false],
    ['20210431_000000', false],
    ['20210101_240000', false],
    ['20210101_006000', false],
    ['2021010_1000000', false],
    ['20210101-100000', false],
    [' 20210101_100000', false],
  ])('%s valid=%s', (name, ok) => {
    expect(parseSessionName(name).ok).toBe(ok);
  });

  it('says what is wrong with an impossible date', () => {
    const r = parseSessionName('20210229_161221');
    expect(r).toEqual({ ok: false, problem: '2021-02-29 is not a date' });
  });

  it('round-trips every real timestamp', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2999-12-31T23:59:59Z'), noInvalidDate: true }), (d) => {
        const p = (n: number, w = 2) => String(n).padStart(w, '0');
        const name = `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}_${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
        const r = parseSessionName(name);
        expect(r.ok).toBe(true);
        if (r.ok) {
          expect(recordedAt(r.value)).toBe(d.toISOString().slice(0, 19));
          expect(partitionDate(r.value)).toBe(d.toISOString().slice(0, 10));
        }
      }),
    );
  });
});
