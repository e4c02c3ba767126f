import type { CommandResult, Runtime } from '../context.js';
import { RecpipeError } from '../../core/errors.js';
import { renderCsv, renderTable } from '../render/table.js';
import { runQuery } from '../../query/run-query.js';

const FILE_COLUMNS = ['session_id', 'recorded_at', 'key', 'bytes', 'sha256'];

export async function queryCommand(rt: Runtime, filters: string[], opts: Record<string, string | undefined>): Promise<CommandResult> {
  const format = rt.json ? 'json' : (opts.format ?? (rt.io.isTTY ? 'table' : 'json'));
  if (!['table', 'json', 'csv'].includes(format)) throw new RecpipeError('usage', `unknown format "${format}"`, { hint: 'use --format table, json or csv' });
  if (opts.engine && opts.engine !== 'duckdb' && opts.engine !== 'athena') throw new RecpipeError('usage', `unknown engine "${opts.engine}"`, { hint: 'use --engine duckdb or --engine athena' });
  rt.reporter.step('querying the catalog');
  const result = await runQuery(rt.config(), { filters, from: opts.from, to: opts.to, pipelineVersion: opts.pipelineVersion, sql: opts.sql, engine: opts.engine as 'duckdb' | 'athena' | undefined });
  rt.reporter.succeed(`${result.sql ? result.rows.length + ' rows' : `${result.totals.sessions} sessions, ${result.totals.files} files`}`);
  const columns = result.sql ? Object.keys(result.rows[0] ?? {}) : FILE_COLUMNS;
  const data = result.sql ? { engine: result.engine, rows: result.rows } : { engine: result.engine, files: result.files, totals: result.totals };
  if (rt.json || format === 'json') return { data, human: JSON.stringify(data, null, 2) };
  if (format === 'csv') return { data, human: renderCsv(columns, result.rows) };
  const footer = result.sql ? `${result.rows.length} rows` : `${result.totals.sessions} sessions, ${result.totals.files} files, ${(result.totals.bytes / 1e6).toFixed(1)} MB`;
  return { data, human: renderTable(columns, result.rows, footer) };
}
