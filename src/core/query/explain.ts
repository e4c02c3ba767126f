/**
 * Why a query found nothing, said so a person can fix it: which filter matches no session, with
 * the closest values the catalog holds ("no session has hardware_model=nx-200; did you mean
 * NX-200?"), or that the filters match apart but not together, or that the sessions match but
 * have no outputs of this pipeline version. Pure: the counts and values are gathered by
 * src/features/query/explain-empty.ts.
 */
import { suggest } from '../suggest.js';
import type { Term } from './filter.js';

/** What the catalog says about one filter term on its own. */
export interface TermFacts {
  term: Term;
  kind: 'numeric' | 'text' | 'time';
  /** Sessions this term alone matches. */
  matches: number;
  /** Distinct values of the field (text fields), when looked up. */
  values?: string[];
  /** Smallest and largest value (numeric and time fields), when looked up. */
  range?: { lo: string | number | null; hi: string | number | null };
}

/** Everything `explain` needs. */
export interface EmptyFacts {
  sessions: number;
  terms: TermFacts[];
  /** The recording-day window asked for, and how many sessions it holds. */
  days?: { from?: string; to?: string; matches: number; first?: string; last?: string };
  /** Sessions all filters together match. */
  together: number;
  pipeline: string;
  pipelineVersion: string;
  /** Pipeline versions that have outputs (`default/1`). */
  versions: string[];
}

const show = (t: Term) => `${t.field}${t.op}${t.value}`;
const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
const list = (xs: string[], max = 5) => xs.slice(0, max).join(', ') + (xs.length > max ? `, ... (${xs.length} in all)` : '');

/** One line per reason, most specific first. */
export function explainEmpty(f: EmptyFacts): string[] {
  if (f.sessions === 0) return ['the catalog has no sessions yet (nothing has been uploaded and processed on this profile)'];
  const out: string[] = [];
  for (const t of f.terms.filter((x) => x.matches === 0)) out.push(termReason(t));
  if (f.days && f.days.matches === 0) {
    const span = f.days.first && f.days.last ? `; sessions were recorded from ${f.days.first} to ${f.days.last}` : '';
    out.push(`no session was recorded ${f.days.from ? `from ${f.days.from} ` : ''}${f.days.to ? `to ${f.days.to}` : ''}`.trimEnd() + span);
  }
  if (out.length > 0) return out;
  if (f.together === 0) {
    const each = f.terms.map((t) => `${show(t.term)} (${plural(t.matches, 'session')})`);
    if (f.days) each.push(`the days asked for (${plural(f.days.matches, 'session')})`);
    return [`each filter matches sessions, but none matches all of them: ${each.join(', ')}`];
  }
  const here = `${f.pipeline}/${f.pipelineVersion}`;
  const others = f.versions.filter((v) => v !== here);
  return [
    `${plural(f.together, 'session')} match, but none has outputs of pipeline ${f.pipeline} version ${f.pipelineVersion}` +
      (others.length ? `; outputs exist for ${list(others)} (--pipeline-version)` : '; they may not be processed yet (`recpipe status`)'),
  ];
}

function termReason(t: TermFacts): string {
  const head = `no session has ${show(t.term)}`;
  if (t.term.op === '~') return `no session's ${t.term.field} contains ${JSON.stringify(t.term.value)} (ignoring case)`;
  const near = t.values ? suggest(t.term.value, t.values) : [];
  if (near.length > 0) return `${head}; did you mean ${near.map((v) => `${t.term.field}${t.term.op}${v}`).join(' or ')}?`;
  if (t.range && t.range.lo !== null) return `${head}; ${t.term.field} ranges from ${t.range.lo} to ${t.range.hi}`;
  if (t.values && t.values.length > 0) return `${head}; its values: ${list([...t.values].sort())}`;
  return t.values || t.range ? `${head}; no session defines ${t.term.field}` : head;
}
