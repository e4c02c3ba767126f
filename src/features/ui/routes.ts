/** The route table: GET pages only, each a read of the UiSource rendered to HTML. */
import { isRecpipeError } from '../../core/errors.js';
import { page } from './html.js';
import { chartsPage } from './pages/charts.js';
import { rigsPage } from './pages/rigs.js';
import { sessionPage } from './pages/session.js';
import { sessionsPage, type SortSpec } from './pages/sessions.js';
import { snapshotPage, snapshotsPage } from './pages/snapshots.js';
import { splitTerms, STATE_FILTERS, type SessionsResult, type StateFilter, type UiSource } from './source.js';

export interface Rendered {
  status: number;
  body: string;
  redirect?: string;
}

export type Route = (url: URL, source: UiSource) => Promise<Rendered>;

/** Runs a filter; a bad filter is the user's to fix, so it comes back as a message, not a 500. */
async function filtered(source: UiSource, text: string, state?: StateFilter): Promise<{ result?: SessionsResult; error?: { message: string; hint?: string } }> {
  try {
    return { result: await source.sessions(splitTerms(text), state) };
  } catch (e) {
    if (isRecpipeError(e) && e.code === 'usage') return { error: { message: e.message, hint: e.hint } };
    throw e;
  }
}

export const ROUTES: Record<string, Route> = {
  // Relative, like every link: it resolves under the server's base path.
  '/': async () => ({ status: 302, body: '', redirect: 'sessions' }),
  '/sessions': async (url, source) => {
    const text = url.searchParams.get('q') ?? '';
    const sort: SortSpec = { column: url.searchParams.get('sort') || 'recorded_at', dir: url.searchParams.get('dir') === 'desc' ? 'desc' : 'asc' };
    const asked = url.searchParams.get('state') ?? 'all';
    const state: StateFilter = (STATE_FILTERS as readonly string[]).includes(asked) ? (asked as StateFilter) : 'all';
    const { result, error } = await filtered(source, text, state);
    return { status: error ? 400 : 200, body: page('Sessions', '/sessions', sessionsPage(text, result, sort, error, state)) };
  },
  '/session': async (url, source) => {
    const id = url.searchParams.get('id') ?? '';
    return { status: 200, body: page(id, '/sessions', sessionPage(id, await source.session(id))) };
  },
  '/rigs': async (_url, source) => ({ status: 200, body: page('Rigs', '/rigs', rigsPage(await source.rigs())) }),
  '/snapshots': async (url, source) => {
    const name = url.searchParams.get('name');
    if (!name) return { status: 200, body: page('Snapshots', '/snapshots', snapshotsPage(await source.snapshots())) };
    const rows = await source.snapshot(name);
    return { status: rows ? 200 : 404, body: page(name, '/snapshots', snapshotPage(name, rows)) };
  },
  '/charts': async (url, source) => {
    const text = url.searchParams.get('q') ?? '';
    const { result, error } = await filtered(source, text);
    return {
      status: error ? 400 : 200,
      body: page('Charts', '/charts', chartsPage(text, result, url.searchParams.get('var') ?? undefined, error), ['/static/chart.umd.min.js']),
    };
  },
};

export function renderRoute(route: Route, url: URL, source: UiSource): Promise<Rendered> {
  return route(url, source);
}
