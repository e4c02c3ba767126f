/**
 * `recpipe query` output. `--format json` (and `--json`) is an array of flat records and
 * `--format csv` one header line then one line per file (core/query/records.ts), so both load
 * with pandas.read_json / read_csv as they are. The table, for people at a terminal, has one
 * row per session (`--files`: per file), fitted to the terminal's width. An empty answer says
 * why on stderr; `--fail-empty` makes it an error for scripts.
 */
import type { CommandResult, Runtime } from '../context.js';
import { RecpipeError } from '../../core/errors.js';
import { parseTerm } from '../../core/query/filter.js';
import { variableColumnName } from '../../core/query/records.js';
import { sessionLines } from '../../core/query/session-rows.js';
import { renderCsv, renderFitted } from '../render/table.js';
import { describeCatalog, listFields, runQuery, type QueryResult } from '../../features/query/run-query.js';
import { tellEmpty } from './empty-result.js';
import type { FlagsOf } from '../flags/table.js';

/** Columns a per-file table leaves out to stay readable (JSON and CSV carry them). */
const FILES_HIDDEN = new Set(['rig', 'session', 'pipeline', 'pipeline_version', 'file', 'sha256', 'revision']);

/** The options of `recpipe query`, parsed (declared in src/cli/flags/data-flags.ts). */
type Opts = FlagsOf<'query'>;

function formatOf(rt: Runtime, opts: Opts): 'table' | 'json' | 'csv' {
  return rt.json ? 'json' : (opts.format ?? (rt.io.isTTY ? 'table' : 'json'));
}

/** Rows in the chosen format; `table` fitted to the terminal. */
function render(rt: Runtime, format: string, columns: string[], rows: Record<string, unknown>[], footer: string): string {
  if (format === 'json') return JSON.stringify(rows, null, 2);
  if (format === 'csv') return renderCsv(columns, rows);
  return renderFitted(columns, rows, rt.io.columns ?? 0, footer);
}

/** Runs the query (or --fields, --schema) and renders it in the chosen format. */
export async function queryCommand(rt: Runtime, filters: string[], opts: Opts): Promise<CommandResult> {
  const format = formatOf(rt, opts);
  const engine = opts.engine;
  const alone = (flag: string) => {
    if (filters.length > 0 || opts.sql) throw new RecpipeError('usage', `${flag} takes no filter or --sql`, { hint: `run \`recpipe query ${flag}\` alone` });
  };
  if (opts.fields) {
    alone('--fields');
    rt.reporter.step('reading the catalog');
    const fields = await listFields(rt.services(rt.config()).openEngine, engine);
    rt.reporter.succeed(`${fields.length} variables`);
    const rows = fields.map((f) => ({
      ...f,
      note: f.otherType ? `${f.otherType} session${f.otherType === 1 ? '' : 's'} wrote it as ${f.type === 'number' ? 'text' : 'a number'}` : '',
    }));
    const human = render(rt, format, ['name', 'type', 'sessions', format === 'table' ? 'note' : 'otherType'], rows, `${fields.length} variables`);
    return { data: fields, human: format === 'json' ? JSON.stringify(fields, null, 2) : human };
  }
  if (opts.schema) {
    alone('--schema');
    rt.reporter.step('reading the catalog');
    const rows = await describeCatalog(rt.services(rt.config()).openEngine, engine);
    rt.reporter.succeed(`${new Set(rows.map((r) => r.table_name)).size} tables`);
    const footer = 'session variables are keys of num_vars / text_vars: `recpipe query --fields` lists them';
    return { data: rows, human: render(rt, format, ['table_name', 'column_name', 'data_type'], rows, footer) };
  }
  const columns = opts.columns;
  if (columns && opts.sql)
    throw new RecpipeError('usage', '--columns applies to filter queries; with --sql, choose columns in the SELECT', {
      hint: 'e.g. --sql "SELECT session_id, element_at(num_vars, \'fatigue\') AS fatigue FROM sessions"',
    });
  rt.reporter.step('querying the catalog');
  const config = rt.config();
  const result = await runQuery(rt.services(config).openEngine, config, {
    filters,
    from: opts.from,
    to: opts.to,
    pipelineVersion: opts.pipelineVersion,
    sql: opts.sql,
    engine,
    columns,
    ignoreCase: opts.ignoreCase,
  });
  rt.reporter.succeed(`${result.sql ? result.rows.length + ' rows' : `${result.totals.sessions} sessions, ${result.totals.files} files`}`);
  if (result.empty) tellEmpty(rt, result.empty, opts.failEmpty);
  else if (result.sql && result.rows.length === 0 && opts.failEmpty) tellEmpty(rt, ['the SQL returned no rows'], true);
  if (result.sql) return { data: result.rows, human: render(rt, format, result.columns, result.rows, `${result.rows.length} rows`) };
  if (format !== 'table') return { data: result.rows, human: render(rt, format, result.columns, result.rows, '') };
  const footer = `${result.totals.sessions} sessions, ${result.totals.files} files, ${(result.totals.bytes / 1e6).toFixed(1)} MB`;
  if (opts.files)
    return {
      data: result.rows,
      human: render(
        rt,
        format,
        result.columns.filter((c) => !FILES_HIDDEN.has(c)),
        result.rows,
        footer,
      ),
    };
  const lines = sessionLines(result.files, askedVariables(result, filters, columns));
  return { data: result.rows, human: renderFitted(lines.columns, lines.lines, rt.io.columns ?? 0, footer, { dropOrder: dropOrder(lines.columns) }) };
}

/** The variables a person asked about (in their filters, then --columns), or all of them when they named none. */
function askedVariables(result: QueryResult, filters: string[], columns: string[] | undefined): string[] {
  const named = [...filters.map((f) => parseTerm(f).field), ...(columns ?? [])].map((n) => variableColumnName(n.toLowerCase()));
  const asked = [...new Set(named)].filter((n) => result.variables.includes(n));
  return asked.length > 0 ? asked : result.variables;
}

/** A narrow terminal gives up the variables from the right first, then the rig and the time; the id, file count and size stay. */
function dropOrder(columns: string[]): string[] {
  const vars = columns.slice(3, columns.length - 2);
  return [...vars.reverse(), 'rig', 'recorded_at'];
}
