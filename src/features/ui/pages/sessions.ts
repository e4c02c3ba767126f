/**
 * The Sessions page: the filter box and a state filter, the matching sessions with their state
 * and variables, sortable; with no filter, also the sessions without outputs (dead, failed, not
 * processed), which no query matches.
 */
import { formatBytes, href, html, type Safe } from '../html.js';
import { pullCommand, STATE_FILTERS, type SessionView, type SessionsResult, type StateFilter } from '../source.js';
import { stateBadge } from './state.js';

export interface SortSpec {
  column: string;
  dir: 'asc' | 'desc';
}

const FIXED = ['session_id', 'recorded_at', 'file_count', 'total_bytes'] as const;

function cell(s: SessionView, column: string): string | number | undefined {
  if ((FIXED as readonly string[]).includes(column)) return s[column as (typeof FIXED)[number]];
  return s.variables[column];
}

/** Sorts by one column; numbers as numbers, missing values last whatever the direction. */
export function sortSessions(sessions: SessionView[], sort: SortSpec): SessionView[] {
  const sign = sort.dir === 'desc' ? -1 : 1;
  return [...sessions].sort((a, b) => {
    const x = cell(a, sort.column);
    const y = cell(b, sort.column);
    if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1;
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return sign * c || (a.session_id < b.session_id ? -1 : 1);
  });
}

/** The filter form, shared with the Charts page. */
export function filterForm(action: string, text: string, extra: Safe = html``): Safe {
  return html`<form method="get" action="${href(action, {})}" class="filter">
    <label for="q">Filter</label>
    <input id="q" name="q" value="${text}" placeholder="fatigue>=3 hardware_model=NX-200" size="50" autocomplete="off" /> ${extra}<button type="submit">
      Apply
    </button>
    <small>same grammar as <code>recpipe query</code>: field&lt;op&gt;value with op one of = != &gt; &gt;= &lt; &lt;= ~</small>
  </form>`;
}

export function errorBlock(error: { message: string; hint?: string } | undefined): Safe {
  return error ? html`<p class="error" role="alert">${error.message}${error.hint ? html`<br /><small>fix: ${error.hint}</small>` : ''}</p>` : html``;
}

const FILTER_LABEL: Record<StateFilter, string> = {
  all: 'all states',
  attention: 'needs a look',
  done: 'done',
  done_with_gaps: 'done with gaps',
  held: 'revision held',
  retrying: 'failed, retrying',
  dead: 'dead',
  incomplete: 'incomplete',
  not_processed: 'not processed',
  processing: 'processing',
};

/** The state filter's select, for the filter form. */
function stateSelect(state: StateFilter): Safe {
  return html`<label for="state">State</label>
    <select id="state" name="state">
      ${STATE_FILTERS.map((f) => html`<option value="${f}" ${f === state ? html`selected` : ''}>${FILTER_LABEL[f]}</option>`)}
    </select> `;
}

export function sessionsPage(
  text: string,
  result: SessionsResult | undefined,
  sort: SortSpec,
  error?: { message: string; hint?: string },
  state: StateFilter = 'all',
): Safe {
  const form = filterForm('/sessions', text, stateSelect(state));
  if (!result)
    return html`<h1>Sessions</h1>
      ${form}${errorBlock(error)}`;
  const columns = [...FIXED, ...result.variables];
  const head = columns.map((c) => {
    const on = sort.column === c;
    const dir = on && sort.dir === 'asc' ? 'desc' : 'asc';
    return html`<th${on ? html` aria-sort="${sort.dir === 'asc' ? 'ascending' : 'descending'}"` : ''}><a href="${href('/sessions', { q: text, sort: c, dir, state: state === 'all' ? undefined : state })}">${c}${on ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}</a></th>`;
  });
  const stateCell = (id: string) => html`<td class="state">${stateBadge(result.states[id])}</td>`;
  const rows = sortSessions(result.sessions, sort).map(
    (s) =>
      html`<tr data-session="${s.session_id}">
        ${columns.map((c) =>
          c === 'session_id'
            ? html`<td><a href="${href('/session', { id: s.session_id })}">${s.session_id}</a></td>
                ${stateCell(s.session_id)}`
            : c === 'total_bytes'
              ? html`<td class="num" title="${s.total_bytes} bytes">${formatBytes(s.total_bytes)}</td>`
              : html`<td${typeof cell(s, c) === 'number' ? html` class="num"` : ''}>${cell(s, c)}</td>`,
        )}
      </tr>`,
  );
  // Sessions without outputs: no query matches them; listed so a dead one is never out of sight.
  const others = result.unprocessed.map(
    (id) =>
      html`<tr data-session="${id}" class="unprocessed">
        <td><a href="${href('/session', { id })}">${id}</a></td>
        ${stateCell(id)}
        <td colspan="${columns.length - 1}"><small>${result.states[id]?.reasons[0]?.message ?? 'no outputs for the configured pipeline version'}</small></td>
      </tr>`,
  );
  const cmd = pullCommand(result.terms);
  return html`<h1>Sessions</h1>
    ${form}
    <p class="summary" id="summary">${result.totals.sessions} sessions, ${result.totals.files} preprocessed files, ${formatBytes(result.totals.bytes)}</p>
    <p class="pull">
      <label for="pull-cmd">Pull these</label> <input id="pull-cmd" readonly value="${cmd}" size="60" />
      <button type="button" id="copy-pull" data-copy="pull-cmd">Copy</button> <span id="copy-state" aria-live="polite"></span>
    </p>
    <table id="sessions">
      <thead>
        <tr>
          ${head[0]}
          <th>state</th>
          ${head.slice(1)}
        </tr>
      </thead>
      <tbody>
        ${rows}${others}
      </tbody>
    </table>
    ${result.unprocessed.length ? html`<p><small>${result.unprocessed.length} session(s) without outputs are listed last: no filter matches them until they are processed.</small></p>` : ''}
    ${result.sessions.length + result.unprocessed.length === 0 ? html`<p>No session with preprocessed outputs matches this filter.</p>` : ''}`;
}
