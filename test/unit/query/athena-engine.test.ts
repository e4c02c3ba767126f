import { mockClient } from 'aws-sdk-client-mock';
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { AthenaEngine, athenaLiteral } from '../../../src/adapters/athena/athena-engine.js';
import { compileQuery } from '../../../src/core/query/compile.js';
import { parseTerm } from '../../../src/core/query/filter.js';

const athena = mockClient(AthenaClient);
afterEach(() => athena.reset());

/** Result pages shaped like the documented GetQueryResults output (first row = column names). */
function pages() {
  const meta = {
    ColumnInfo: [
      { Name: 'session_id', Type: 'varchar' },
      { Name: 'bytes', Type: 'bigint' },
    ],
  };
  athena
    .on(GetQueryResultsCommand, { QueryExecutionId: 'q1', NextToken: undefined })
    .resolves({
      ResultSet: {
        ResultSetMetadata: meta,
        Rows: [
          { Data: [{ VarCharValue: 'session_id' }, { VarCharValue: 'bytes' }] },
          { Data: [{ VarCharValue: 'rig-a/20210203_090000' }, { VarCharValue: '100' }] },
        ],
      },
      NextToken: 't2',
    })
    .on(GetQueryResultsCommand, { QueryExecutionId: 'q1', NextToken: 't2' })
    .resolves({ ResultSet: { ResultSetMetadata: meta, Rows: [{ Data: [{ VarCharValue: 'rig-b/20210210_120000' }, { VarCharValue: '200' }] }] } });
}

describe('Athena engine', () => {
  it('sends values only as execution parameters, polls, and reads every page', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q1' });
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce({ QueryExecution: { Status: { State: 'RUNNING' } } })
      .resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    pages();
    const engine = new AthenaEngine(new AthenaClient({ region: 'us-east-1' }), 'recpipe', 'recpipe', 1, async () => undefined);
    const evil = "x' OR '1'='1";
    const drop = "'; DROP TABLE t; --";
    const c = compileQuery(
      { terms: [parseTerm(`hardware_model=${evil}`), parseTerm(`notes~${drop}`), parseTerm('fatigue>=3')], pipeline: 'default', pipelineVersion: '1' },
      { numeric: ['fatigue'], text: ['hardware_model', 'notes'] },
      'athena',
      engine.tables,
    );
    const rows = await engine.query(c.sql, c.params);
    expect(rows).toEqual([
      { session_id: 'rig-a/20210203_090000', bytes: 100 },
      { session_id: 'rig-b/20210210_120000', bytes: 200 },
    ]);
    const input = athena.commandCalls(StartQueryExecutionCommand)[0].args[0].input;
    expect(input.WorkGroup).toBe('recpipe');
    expect(input.QueryString).not.toContain("'1'='1");
    // The only literal in the text is the LIKE escape character; every value is a parameter.
    expect(input.QueryString!.replaceAll("ESCAPE '\\'", '')).not.toContain("'");
    expect(input.QueryString).not.toContain('DROP');
    expect(input.QueryString).toContain('FROM "recpipe"."sessions" s JOIN "recpipe"."processed_files" f');
    expect(input.ExecutionParameters).toEqual([
      "'fatigue'",
      "'hardware_model'",
      "'notes'",
      "'hardware_model'",
      "'x'' OR ''1''=''1'",
      "'notes'",
      "'%''; drop table t; --%'",
      "'fatigue'",
      '3',
      "'default'",
      "'1'",
    ]);
  });

  it('retries throttling and reports a failed query with its reason', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
    athena.on(StartQueryExecutionCommand).rejectsOnce(throttled).resolves({ QueryExecutionId: 'q2' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'FAILED', StateChangeReason: 'Bytes scanned limit was exceeded' } } });
    const waits: number[] = [];
    const engine = new AthenaEngine(new AthenaClient({ region: 'us-east-1' }), 'recpipe', 'recpipe', 1, async (ms) => void waits.push(ms));
    await expect(engine.query('SELECT 1')).rejects.toThrow(/failed: Bytes scanned limit was exceeded/);
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(2);
    // One wait, from the one retry policy (full jitter below the first ceiling, 200 ms), on the injected clock.
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(0);
    expect(waits[0]).toBeLessThan(200);
  });

  it('stops at once on a bad query, and gives up on throttling after six tries', async () => {
    const bad = Object.assign(new Error('line 1: syntax error'), { name: 'InvalidRequestException' });
    athena.on(StartQueryExecutionCommand).rejects(bad);
    const waits: number[] = [];
    const engine = new AthenaEngine(new AthenaClient({ region: 'us-east-1' }), 'recpipe', 'recpipe', 1, async (ms) => void waits.push(ms));
    await expect(engine.query('SELEC 1')).rejects.toMatchObject({ code: 'usage', retryable: false });
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(1);
    athena.reset();
    athena.on(StartQueryExecutionCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(engine.query('SELECT 1')).rejects.toMatchObject({ code: 'unavailable', retryable: true });
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(6);
    expect(waits).toHaveLength(5);
  });

  it('renders literals the way Athena parameters expect', () => {
    expect(athenaLiteral(3.5)).toBe('3.5');
    expect(athenaLiteral("it's")).toBe("'it''s'");
  });
});
