import { compileQuery } from '../../../src/core/query/compile.js';
import { parseTerm } from '../../../src/core/query/filter.js';
import { assertReadOnlySql } from '../../../src/core/query/read-only.js';

const fields = { numeric: ['fatigue', 'temperature_c'], text: ['hardware_model', 'notes'] };
const tables = { sessions: 'sessions', files: 'processed_files' };
const spec = (filters: string[], extra = {}) => ({ terms: filters.map(parseTerm), pipeline: 'default', pipelineVersion: '1', ...extra });

describe('query compiler', () => {
  it('binds every value as a parameter, in order', () => {
    const c = compileQuery(spec(['fatigue>=3', 'hardware_model=NX-200', 'notes~50%_x'], { from: '2021-02-01', to: '2021-02-28' }), fields, 'duckdb', tables);
    expect(c.sql).toContain('s.num_vars[?] >= ?');
    expect(c.sql).toContain("lower(s.text_vars[?]) LIKE ? ESCAPE '\\'");
    // First the variables returned as columns (all known, by name), then the filter's values.
    expect(c.params).toEqual([
      'fatigue',
      'hardware_model',
      'notes',
      'temperature_c',
      'fatigue',
      3,
      'hardware_model',
      'NX-200',
      'notes',
      '%50\\%\\_x%',
      '2021-02-01',
      '2021-02-28',
      'default',
      '1',
    ]);
  });

  it('returns the chosen variables as columns under fixed aliases, and names an unknown one', () => {
    const c = compileQuery(spec([], { columns: ['notes', 'fatigue'] }), fields, 'athena', tables);
    expect(c.variables).toEqual([
      { name: 'notes', kind: 'text', alias: 'v0' },
      { name: 'fatigue', kind: 'numeric', alias: 'v1' },
    ]);
    expect(c.sql).toContain('element_at(s.text_vars, ?) AS v0, element_at(s.num_vars, ?) AS v1');
    expect(c.params.slice(0, 2)).toEqual(['notes', 'fatigue']);
    expect(() => compileQuery(spec([], { columns: ['fatigue', 'nope'] }), fields, 'duckdb', tables)).toThrow(/--columns: unknown variable "nope"/);
  });

  it('never puts a user value into the SQL text', () => {
    const evil = ["x' OR '1'='1", "'; DROP TABLE t; --", 'a"b', 'NX-200\\'];
    for (const v of evil) {
      for (const dialect of ['duckdb', 'athena'] as const) {
        const c = compileQuery(spec([`hardware_model=${v}`, `notes~${v}`]), fields, dialect, tables);
        expect(c.sql).not.toContain(v);
        expect(c.params).toContain(v);
      }
    }
  });

  it('gives both engines the same plan: same parameters, same clauses but the map accessor', () => {
    const d = compileQuery(spec(['fatigue>3', 'notes~drift']), fields, 'duckdb', tables);
    const a = compileQuery(spec(['fatigue>3', 'notes~drift']), fields, 'athena', tables);
    expect(a.params).toEqual(d.params);
    expect(a.sql.replace(/element_at\(s\.(\w+), \?\)/g, 's.$1[?]')).toBe(d.sql);
  });

  it('explains unknown fields, bad operators and type mismatches', () => {
    expect(() => compileQuery(spec(['fatigues>=3']), fields, 'duckdb', tables)).toThrow(/unknown field "fatigues"; did you mean fatigue\?/);
    try {
      compileQuery(spec(['fatigues>=3']), fields, 'duckdb', tables);
    } catch (e) {
      expect((e as { hint: string }).hint).toMatch(/recpipe query --fields/);
    }
    expect(() => compileQuery(spec(['fatigue>=abc']), fields, 'duckdb', tables)).toThrow(/is numeric and "abc" is not a number/);
    expect(() => compileQuery(spec(['fatigue~3']), fields, 'duckdb', tables)).toThrow(/needs a text field/);
    expect(() => compileQuery(spec(['hardware_model>NX']), fields, 'duckdb', tables)).toThrow(/ordering is not supported/);
    expect(() => parseTerm('fatigue')).toThrow(/cannot read filter/);
    expect(() => compileQuery(spec([], { from: '2021-02-29' }), fields, 'duckdb', tables)).toThrow(/--from "2021-02-29" is not a date/);
  });
});

describe('read-only SQL', () => {
  it.each(['SELECT * FROM sessions', 'with x as (select 1) select * from x', "select 'drop table' as s;"])('accepts %s', (sql) => {
    expect(() => assertReadOnlySql(sql)).not.toThrow();
  });
  it.each([
    'DROP TABLE sessions',
    'select 1; drop table sessions',
    "COPY sessions TO '/tmp/x'",
    'INSERT INTO sessions VALUES (1)',
    "select * from read_json('x'); attach 'y'",
    'PRAGMA version',
    'SELECT 1 /* */ ; DELETE FROM ledger',
  ])('refuses %s', (sql) => {
    expect(() => assertReadOnlySql(sql)).toThrow(/--sql/);
  });
});
