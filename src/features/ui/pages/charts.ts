/** The Charts page: sessions and bytes per recording day, and one numeric variable's spread. */
import { html, json, type Safe } from '../html.js';
import type { SessionView, SessionsResult } from '../source.js';
import { errorBlock, filterForm } from './sessions.js';

export interface PerDay {
  days: string[];
  sessions: number[];
  bytes: number[];
}

/** Sessions and raw bytes per recording day, days in order. */
export function perDay(sessions: SessionView[]): PerDay {
  const by = new Map<string, { n: number; b: number }>();
  for (const s of sessions) {
    const day = s.recorded_at.slice(0, 10);
    const v = by.get(day) ?? { n: 0, b: 0 };
    v.n++;
    v.b += s.total_bytes;
    by.set(day, v);
  }
  const days = [...by.keys()].sort();
  return { days, sessions: days.map((d) => by.get(d)!.n), bytes: days.map((d) => by.get(d)!.b) };
}

export interface Histogram {
  labels: string[];
  counts: number[];
}

/**
 * Counts per bin: one bar per distinct value when there are few (fatigue 1..5), otherwise
 * `bins` equal-width bins over [min, max] (the last bin includes max).
 */
export function histogram(values: number[], bins = 10): Histogram {
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  if (distinct.length <= bins) return { labels: distinct.map(String), counts: distinct.map((d) => values.filter((v) => v === d).length) };
  const min = distinct[0];
  const width = (distinct[distinct.length - 1] - min) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor((v - min) / width))]++;
  const fmt = (x: number) => String(Number(x.toPrecision(3)));
  return { labels: counts.map((_, i) => `${fmt(min + i * width)}–${fmt(min + (i + 1) * width)}`), counts };
}

/** The first numeric variable that varies across the sessions (a constant makes a dull chart). */
function defaultVariable(result: SessionsResult | undefined): string | undefined {
  const varies = (v: string) => new Set(result?.sessions.map((s) => s.variables[v])).size > 1;
  return result?.numeric.find(varies) ?? result?.numeric[0];
}

export function chartsPage(text: string, result: SessionsResult | undefined, variable: string | undefined, error?: { message: string; hint?: string }): Safe {
  const numeric = result?.numeric ?? [];
  const chosen = variable && numeric.includes(variable) ? variable : defaultVariable(result);
  const select = html`<label for="var">Variable</label>
    <select id="var" name="var">
      ${numeric.map((v) => html`<option${v === chosen ? html` selected` : ''}>${v}</option>`)}
    </select> `;
  const form = filterForm('/charts', text, select);
  if (!result)
    return html`<h1>Charts</h1>
      ${form}${errorBlock(error)}`;
  const values = chosen ? result.sessions.map((s) => s.variables[chosen]).filter((v): v is number => typeof v === 'number') : [];
  const data = { perDay: perDay(result.sessions), variable: chosen ?? null, histogram: histogram(values) };
  return html`<h1>Charts</h1>
    ${form}
    <p class="summary">${result.sessions.length} sessions match.</p>
    <div class="charts">
      <figure>
        <figcaption>Sessions and bytes per recording day</figcaption>
        <canvas id="chart-per-day" width="640" height="300" aria-label="sessions and bytes per day"></canvas>
      </figure>
      <figure>
        <figcaption>
          ${chosen ? html`Distribution of <code>${chosen}</code> over the ${values.length} matching sessions` : 'No numeric variable among the matching sessions'}
        </figcaption>
        <canvas id="chart-variable" width="640" height="300" aria-label="distribution"></canvas>
      </figure>
    </div>
    ${json('chart-data', data)}`;
}
