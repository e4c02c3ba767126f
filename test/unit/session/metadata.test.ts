import fc from 'fast-check';
import { parseMetadata, typeValue } from '../../../src/core/session/metadata.js';
import { binaryLayout, checkVariables } from '../../../src/core/session/schema.js';

describe('metadata parsing', () => {
  it('types key: value and key=value lines', () => {
    const r = parseMetadata(
      'm.txt',
      '\uFEFF# comment\nfatigue: 3\ntemperature_c=21.5\nhardware_model: NX-200\ncode: "42"\nnotes: drift, then fine\nexp: 2e-3\n\n',
    );
    expect(r.problems).toEqual([]);
    expect(r.variables).toEqual({
      numeric: { fatigue: 3, temperature_c: 21.5, exp: 0.002 },
      text: { hardware_model: 'NX-200', code: '42', notes: 'drift, then fine' },
    });
  });

  it.each(['0x10', '1,5', 'Infinity', 'NaN', '', '3 apples', '1e999'])('keeps %p as text', (v) => {
    expect('text' in typeValue(v)).toBe(true);
  });

  it('parses flat JSON and rejects nested values, bad keys and duplicates', () => {
    expect(parseMetadata('metadata.json', '{"fatigue": 2, "hardware_model": "NX-100"}').variables).toEqual({
      numeric: { fatigue: 2 },
      text: { hardware_model: 'NX-100' },
    });
    const codes = (t: string, p = 'metadata.json') => parseMetadata(p, t).problems.map((x) => x.code);
    expect(codes('{"a": {"b": 1}}')).toEqual(['metadata.bad_value']);
    expect(codes('{"a": true}')).toEqual(['metadata.bad_value']);
    expect(codes('{nope')).toEqual(['metadata.bad_json']);
    expect(codes('[1]')).toEqual(['metadata.bad_json']);
    expect(codes('Hardware Model: x', 'm.txt')).toEqual(['metadata.bad_key']);
    expect(codes('a: 1\na: 2', 'm.txt')).toEqual(['metadata.duplicate_key']);
    expect(codes('just words', 'm.txt')).toEqual(['metadata.bad_line']);
    expect(codes('# only a comment', 'm.txt')).toEqual(['metadata.empty']);
  });

  it('parses back whatever typed map it serialised', () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/);
    const text = fc.stringMatching(/^[A-Za-z][A-Za-z _.,-]{0,20}$/).filter((s) => s.trim() === s);
    fc.assert(
      fc.property(fc.dictionary(key, fc.oneof(fc.integer({ min: -1e6, max: 1e6 }), text)), (vars) => {
        const r = parseMetadata(
          'm.txt',
          Object.entries(vars)
            .map(([k, v]) => `${k}: ${v}`)
            .join('\n') || 'x: 1',
        );
        if (Object.keys(vars).length === 0) return;
        for (const [k, v] of Object.entries(vars)) {
          if (typeof v === 'number') expect(r.variables.numeric[k]).toBe(v);
          else expect(r.variables.text[k]).toBe(v);
        }
      }),
    );
  });
});

describe('metadata schema', () => {
  const schema = {
    required: ['fatigue', 'operator'],
    fields: { fatigue: { type: 'number' as const, min: 0, max: 10 }, hardware_model: { type: 'text' as const, pattern: '^NX-' } },
  };
  it('reports missing, mistyped and out-of-range variables', () => {
    const p = checkVariables('m.txt', { numeric: { fatigue: 11, hardware_model: 3 }, text: {} }, schema);
    expect(p.map((x) => x.code).sort()).toEqual(['metadata.missing_required', 'metadata.pattern', 'metadata.range']);
    const typed = checkVariables('m.txt', { numeric: {}, text: { fatigue: 'high', operator: 'ann' } }, schema);
    expect(typed.map((x) => x.code)).toEqual(['metadata.type']);
    expect(typed[0].message).toContain('"fatigue" must be a number');
  });

  it('always checks the reserved binary-format variables', () => {
    expect(checkVariables('m', { numeric: { channels: 0 }, text: {} }).map((x) => x.code)).toEqual(['metadata.range']);
    expect(checkVariables('m', { numeric: { channels: 2 }, text: { sample_format: 'int12' } }).map((x) => x.code)).toEqual(['metadata.enum']);
    expect(binaryLayout({ numeric: { channels: 4, sample_rate_hz: 1000 }, text: {} })).toEqual({
      channels: 4,
      sampleRateHz: 1000,
      format: 'int16le',
      bytesPerSample: 2,
    });
  });
});

describe('a number written with a comma', () => {
  it('is kept as text with a warning naming the variable and the fix', () => {
    const r = parseMetadata('m.txt', 'temperature_c: 22,5\nnotes: drift, then fine\n');
    expect(r.variables.text).toEqual({ temperature_c: '22,5', notes: 'drift, then fine' });
    expect(r.problems).toEqual([
      expect.objectContaining({
        code: 'metadata.not_a_number',
        field: 'temperature_c',
        value: '22,5',
        fix: expect.stringMatching(/write 22\.5 if it is a number/),
      }),
    ]);
  });
});
