/** The shape every query output takes: one flat record per file, typed cells. Pure. */
import { flatRecords, recordVariables, variableColumnName } from '../../../src/core/query/records.js';
import { renderCsv } from '../../../src/cli/render/table.js';

const row = {
  session_id: 'rig-a/20210201_090000',
  rig: 'rig-a',
  session: '20210201_090000',
  recorded_at: '2021-02-01 09:00:00',
  pipeline: 'default',
  pipeline_version: '1',
  key: 'processed/x',
  file: 'x.npy',
  bytes: '100',
  sha256: 'b'.repeat(64),
  warning_count: null,
  revision: '2',
  v0: '3',
  v1: null,
  v2: 'NX, "200"',
  v3: 7,
};
const vars = [
  { name: 'fatigue', kind: 'numeric' as const, alias: 'v0' },
  { name: 'temperature_c', kind: 'numeric' as const, alias: 'v1' },
  { name: 'hardware_model', kind: 'text' as const, alias: 'v2' },
  { name: 'key', kind: 'numeric' as const, alias: 'v3' },
];

describe('query records', () => {
  it('are flat, with numbers as numbers, absent values as null, and a variable never hiding a fixed column', () => {
    const { columns, records } = flatRecords([row], vars);
    expect(columns).toEqual([
      'session_id',
      'rig',
      'session',
      'recorded_at',
      'pipeline',
      'pipeline_version',
      'key',
      'file',
      'bytes',
      'sha256',
      'warning_count',
      'revision',
      'fatigue',
      'temperature_c',
      'hardware_model',
      'var_key',
    ]);
    expect(records[0]).toMatchObject({
      bytes: 100,
      warning_count: null,
      revision: 2,
      fatigue: 3,
      temperature_c: null,
      hardware_model: 'NX, "200"',
      key: 'processed/x',
      var_key: 7,
    });
    expect(Object.values(records[0]).every((v) => v === null || ['string', 'number'].includes(typeof v))).toBe(true);
    expect(variableColumnName('fatigue')).toBe('fatigue');
  });

  it('render as CSV with a header, numbers unquoted, nulls empty, text quoted only when it must be', () => {
    const { columns, records } = flatRecords([row], vars);
    const [header, line, end] = renderCsv(columns, records).split('\r\n');
    expect(header).toBe(columns.join(','));
    expect(line).toBe(
      `rig-a/20210201_090000,rig-a,20210201_090000,2021-02-01 09:00:00,default,1,processed/x,x.npy,100,${'b'.repeat(64)},,2,3,,"NX, ""200""",7`,
    );
    expect(end).toBe('');
  });

  it('keep the value of a session that wrote a variable as the other kind, as written, instead of null', () => {
    const mixed = [{ name: 'temperature_c', kind: 'numeric' as const, alias: 'v0', alt: { kind: 'text' as const, alias: 'v0x' } }];
    const { columns, records } = flatRecords(
      [
        { ...row, v0: '22', v0x: null },
        { ...row, v0: null, v0x: '22,5' },
        { ...row, v0: null, v0x: null },
      ],
      mixed,
    );
    expect(columns.filter((c) => c === 'temperature_c')).toHaveLength(1);
    expect(records.map((r) => r.temperature_c)).toEqual([22, '22,5', null]);
  });

  it('give back the session variables by their own names (what recpipe-pull.json carries)', () => {
    const { records } = flatRecords([row], vars);
    expect(recordVariables(records[0])).toEqual({ fatigue: 3, hardware_model: 'NX, "200"', key: 7 });
  });
});
