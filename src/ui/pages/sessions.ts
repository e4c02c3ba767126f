/** The Sessions page: the filter box, the matching sessions with their variables, sortable. */
import { formatBytes, href, html, type Safe } from '../html.js';
import { pullCommand, type SessionView, type SessionsResult } from '../source.js';

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

export function sessionsPage(text: string, result: SessionsResult | undefined, sort: SortSpec, error?: { message: string; hint?: string }): Safe {
  const form = filterForm('/sessions', text);
  if (!result)
    return html`<h1>Sessions</h1>
      ${form}${errorBlock(error)}`;
  const columns = [...FIXED, ...result.variables];
  const head = columns.map((c) => {
    const on = sort.column === c;
    const dir = on && sort.dir === 'asc' ? 'desc' : 'asc';
    return html`<th${on ? html` aria-sort="${sort.dir === 'asc' ? 'ascending' : 'descending'}"` : ''}><a href="${href('/sessions', { q: text, sort: c, dir })}">${c}${on ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}</a></th>`;
  });
  const rows = sortSessions(result.sessions, sort).map(
    (s) =>
      html`<tr data-session="${s.session_id}">
        ${columns.map((c) =>
          c === 'session_id'
            ? html`<td><a href="${href('/session', { id: s.session_id })}">${s.session_id}</a></td>`
            : c === 'total_bytes'
              ? html`<td class="num" title="${s.total_bytes} bytes">${formatBytes(s.total_bytes)}</td>`
              : html`<td${typeof cell(s, c) === 'number' ? html` class="num"` : ''}>${cell(s, c)}</td>`,
        )}
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
          ${head}
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
    ${result.sessions.length === 0 ? html`<p>No session with preprocessed outputs matches this filter.</p>` : ''}`;
}
