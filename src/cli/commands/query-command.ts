/**
 * `recpipe query` output. Every format carries the same flat records (core/query/records.ts):
 * `--format json` (and `--json`) is an array of flat records and `--format csv` one header line
 * then one line per file, so both load with pandas.read_json / read_csv as they are.
 */
import type { CommandResult, Runtime } from '../context.js';
import { RecpipeError } from '../../core/errors.js';
import { renderCsv, renderTable } from '../render/table.js';
import { listFields, runQuery } from '../../query/run-query.js';

/** Columns a terminal table leaves out to stay readable (JSON and CSV carry them). */
const TABLE_HIDDEN = new Set(['rig', 'session', 'pipeline', 'pipeline_version', 'file', 'sha256']);

export async function queryCommand(rt: Runtime, filters: string[], opts: Record<string, string | boolean | undefined>): Promise<CommandResult> {
  const format = rt.json ? 'json' : String(opts.format ?? (rt.io.isTTY ? 'table' : 'json'));
  if (!['table', 'json', 'csv'].includes(format)) throw new RecpipeError('usage', `unknown format "${format}"`, { hint: 'use --format table, json or csv' });
  if (opts.engine && opts.engine !== 'duckdb' && opts.engine !== 'athena')
    throw new RecpipeError('usage', `unknown engine "${String(opts.engine)}"`, { hint: 'use --engine duckdb or --engine athena' });
  const engine = opts.engine as 'duckdb' | 'athena' | undefined;
  if (opts.fields) {
    if (filters.length > 0 || opts.sql)
      throw new RecpipeError('usage', '--fields lists the known variables and takes no filter or --sql', { hint: 'run `recpipe query --fields` alone' });
    rt.reporter.step('reading the catalog');
    const fields = await listFields(rt.config(), engine);
    rt.reporter.succeed(`${fields.length} variables`);
    const rows = fields as unknown as Record<string, unknown>[];
    const human =
      format === 'json'
        ? JSON.stringify(fields, null, 2)
        : format === 'csv'
          ? renderCsv(['name', 'type', 'sessions'], rows)
          : renderTable(['name', 'type', 'sessions'], rows, `${fields.length} variables`);
    return { data: fields, human };
  }
  const columns =
    typeof opts.columns === 'string'
      ? opts.columns
          .split(',')
          .map((c) => c.trim())
          .filter(Boolean)
      : undefined;
  if (columns && opts.sql)
    throw new RecpipeError('usage', '--columns applies to filter queries; with --sql, choose columns in the SELECT', {
      hint: 'e.g. --sql "SELECT session_id, element_at(num_vars, \'fatigue\') AS fatigue FROM sessions"',
    });
  rt.reporter.step('querying the catalog');
  const result = await runQuery(rt.config(), {
    filters,
    from: opts.from as string | undefined,
    to: opts.to as string | undefined,
    pipelineVersion: opts.pipelineVersion as string | undefined,
    sql: opts.sql as string | undefined,
    engine,
    columns,
  });
  rt.reporter.succeed(`${result.sql ? result.rows.length + ' rows' : `${result.totals.sessions} sessions, ${result.totals.files} files`}`);
  if (format === 'json') return { data: result.rows, human: JSON.stringify(result.rows, null, 2) };
  if (format === 'csv') return { data: result.rows, human: renderCsv(result.columns, result.rows) };
  const shown = result.sql ? result.columns : result.columns.filter((c) => !TABLE_HIDDEN.has(c));
  const footer = result.sql
    ? `${result.rows.length} rows`
    : `${result.totals.sessions} sessions, ${result.totals.files} files, ${(result.totals.bytes / 1e6).toFixed(1)} MB`;
  return { data: result.rows, human: renderTable(shown, result.rows, footer) };
}
