import { mockClient } from 'aws-sdk-client-mock';
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { AthenaEngine } from '../../src/adapters/athena/athena-engine.js';
import { describeQueryEngineContract, FIXTURE_FIELDS } from './query-engine.contract.js';

// Athena is not reachable offline: its client is mocked, so what is checked is the plan and what is sent.
const athena = mockClient(AthenaClient);
afterAll(() => athena.restore());

describeQueryEngineContract('AthenaEngine (plan and request only: Athena cannot run offline)', async () => {
  athena.reset();
  // The field lists are Athena's answer to the DISTINCT over each map's keys (header row first, as Athena pages them).
  const keys: Record<string, string[]> = { num_vars: FIXTURE_FIELDS.numeric, text_vars: FIXTURE_FIELDS.text };
  athena.on(StartQueryExecutionCommand).callsFake((input: { QueryString: string }) => ({
    QueryExecutionId: /map_keys\((\w+)\)/.exec(input.QueryString)?.[1] ?? 'plan',
  }));
  athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
  athena.on(GetQueryResultsCommand).callsFake((input: { QueryExecutionId: string }) => ({
    ResultSet: {
      ResultSetMetadata: { ColumnInfo: [{ Name: 'k', Type: 'varchar' }] },
      Rows: [{ Data: [{ VarCharValue: 'k' }] }, ...(keys[input.QueryExecutionId] ?? []).map((k) => ({ Data: [{ VarCharValue: k }] }))],
    },
  }));
  const engine = new AthenaEngine(new AthenaClient({ region: 'us-east-1' }), 'recpipe', 'recpipe', 1, async () => undefined);
  return {
    dialect: 'athena',
    tables: engine.tables,
    knownFields: () => engine.knownFields(),
    sent: async (c) => {
      const before = athena.commandCalls(StartQueryExecutionCommand).length;
      await engine.query(c.sql, c.params);
      const input = athena.commandCalls(StartQueryExecutionCommand)[before].args[0].input;
      return { sql: input.QueryString ?? '', params: input.ExecutionParameters ?? [] };
    },
    close: () => engine.close(),
  };
});
