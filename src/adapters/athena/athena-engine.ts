/**
 * The query engine on AWS: Athena over the Glue tables. Values are passed as ExecutionParameters
 * (rendered as SQL literals by this adapter: numbers as is, strings single-quoted with quotes
 * doubled), never spliced into the query text. Polls with backoff, reads every result page,
 * retries throttling and server errors through the one retry policy (core/backoff.ts).
 */
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  type GetQueryResultsCommandOutput,
} from '@aws-sdk/client-athena';
import type { Config } from '../../config/schema.js';
import { exponential, fullJitter, pause, retrying } from '../../core/backoff.js';
import { RecpipeError } from '../../core/errors.js';
import type { Clock } from '../../core/ports.js';
import type { KnownFields, Param, TableNames } from '../../core/query/compile.js';

export function athenaLiteral(p: Param): string {
  return typeof p === 'number' ? String(p) : `'${p.replace(/'/g, "''")}'`;
}

/** Tries of one Athena call, the first included; waits are full-jitter from 200 ms up to 5 s. */
const ATTEMPTS = 6;
/** Athena's throttling and its transient server errors: the same call may succeed later. */
const TRANSIENT = /TooManyRequests|Throttl|InternalServer/;

export class AthenaEngine {
  readonly dialect = 'athena' as const;
  readonly tables: TableNames;
  /** The Glue database, as information_schema names it. */
  readonly schemaName: string;

  constructor(
    private readonly client: AthenaClient,
    private readonly workgroup: string,
    database: string,
    private readonly pollMs = 250,
    /** The waits between polls and retries (a fake clock's in tests; real timers by default). */
    private readonly sleep?: Clock['sleep'],
  ) {
    if (!/^[a-z0-9_]+$/.test(database))
      throw new RecpipeError('config', `glueDatabase "${database}" is not a plain Glue name`, { hint: 'use lowercase letters, digits and underscores' });
    this.schemaName = database;
    this.tables = { sessions: `"${database}"."sessions"`, files: `"${database}"."processed_files"` };
  }

  static create(config: Config): AthenaEngine {
    return new AthenaEngine(new AthenaClient({ region: config.region }), config.athenaWorkgroup, config.glueDatabase);
  }

  async knownFields(): Promise<KnownFields> {
    const keys = async (col: string) =>
      (await this.query(`SELECT DISTINCT k FROM ${this.tables.sessions} CROSS JOIN UNNEST(map_keys(${col})) AS t(k) ORDER BY k`)).map((r) => String(r.k));
    return { numeric: await keys('num_vars'), text: await keys('text_vars') };
  }

  async query(sql: string, params: Param[] = []): Promise<Record<string, unknown>[]> {
    const start = await this.retry(() =>
      this.client.send(
        new StartQueryExecutionCommand({
          QueryString: sql,
          ExecutionParameters: params.length ? params.map(athenaLiteral) : undefined,
          WorkGroup: this.workgroup,
        }),
      ),
    );
    const id = start.QueryExecutionId!;
    for (let poll = 1; ; poll++) {
      const q = await this.retry(() => this.client.send(new GetQueryExecutionCommand({ QueryExecutionId: id })));
      const state = q.QueryExecution?.Status?.State;
      if (state === 'SUCCEEDED') break;
      if (state === 'FAILED' || state === 'CANCELLED') {
        throw new RecpipeError('failed', `Athena query ${id} ${state.toLowerCase()}: ${q.QueryExecution?.Status?.StateChangeReason ?? 'no reason given'}`, {
          fault: 'user',
          hint: 'check the filter or SQL; the workgroup may also have hit its bytes-scanned limit',
        });
      }
      await this.wait(exponential(poll, this.pollMs, 5000));
    }
    const rows: Record<string, unknown>[] = [];
    let columns: string[] | undefined;
    let token: string | undefined;
    do {
      const page: GetQueryResultsCommandOutput = await this.retry(() =>
        this.client.send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token })),
      );
      columns ??= page.ResultSet?.ResultSetMetadata?.ColumnInfo?.map((c) => c.Name ?? '') ?? [];
      const types = page.ResultSet?.ResultSetMetadata?.ColumnInfo?.map((c) => c.Type ?? 'varchar') ?? [];
      const data = page.ResultSet?.Rows ?? [];
      // The first row of the first page repeats the column names.
      for (const [i, row] of data.entries()) {
        if (!token && i === 0 && row.Data?.every((d, j) => d.VarCharValue === columns![j])) continue;
        rows.push(Object.fromEntries(columns.map((c, j) => [c, convert(row.Data?.[j]?.VarCharValue, types[j])])));
      }
      token = page.NextToken;
    } while (token);
    return rows;
  }

  close(): void {
    this.client.destroy();
  }

  private retry<T>(fn: () => Promise<T>): Promise<T> {
    const translated = async () => {
      try {
        return await fn();
      } catch (e) {
        throw athenaError(e);
      }
    };
    return retrying(translated, {
      attempts: ATTEMPTS,
      backoff: fullJitter(200, 5000),
      ...(this.sleep ? { sleep: this.sleep } : {}),
    });
  }

  private wait(ms: number): Promise<void> {
    return this.sleep ? this.sleep(ms) : pause(ms);
  }
}

/**
 * Athena's failures: a bad query is the user's (usage); throttling and server errors are
 * retryable; anything else stops at once (exit 5, as before: Athena could not answer).
 */
function athenaError(e: unknown): RecpipeError {
  if (e instanceof RecpipeError) return e;
  const name = (e as { name?: string }).name ?? '';
  if (/InvalidRequest/.test(name)) return new RecpipeError('usage', `Athena: ${(e as Error).message}`, { cause: e, retryable: false });
  return new RecpipeError('unavailable', `Athena: ${(e as Error).message}`, { cause: e, retryable: TRANSIENT.test(name) });
}

function convert(v: string | undefined, type: string): unknown {
  if (v === undefined) return null;
  return /^(integer|bigint|double|float|real|decimal|tinyint|smallint)/.test(type) ? Number(v) : v;
}
