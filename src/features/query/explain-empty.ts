/**
 * Gathers what core/query/explain.ts needs to say why a filter found nothing: sessions matched
 * by each term alone and by all together, the values of the fields that matched nothing, and
 * the pipeline versions that have outputs. A handful of small queries, run only when a result
 * is empty; values stay bound parameters.
 */
import type { KnownFields, Param } from '../../core/query/compile.js';
import { explainEmpty, type EmptyFacts, type TermFacts } from '../../core/query/explain.js';
import type { Term } from '../../core/query/filter.js';
import { FIXED_NUMERIC, FIXED_TEXT, mapGet, normalizeFields, termClause, whereOf } from '../../core/query/where.js';
import type { QueryEngine } from './open-engine.js';

/** The filter that found nothing. */
export interface EmptyQuery {
  terms: Term[];
  from?: string;
  to?: string;
  ignoreCase?: boolean;
  pipeline: string;
  pipelineVersion: string;
}

/** Why `q` found nothing, one line per reason. */
export async function whyEmpty(engine: QueryEngine, q: EmptyQuery, fields: KnownFields): Promise<string[]> {
  const known = normalizeFields(fields);
  const S = engine.tables.sessions;
  const count = async (where: string, params: Param[] = []) => Number((await engine.query(`SELECT count(*) AS n FROM ${S} s ${where}`, params))[0]?.n ?? 0);
  const sessions = await count('');
  const facts: EmptyFacts = { sessions, terms: [], together: 0, pipeline: q.pipeline, pipelineVersion: q.pipelineVersion, versions: [] };
  if (sessions === 0) return explainEmpty(facts);
  for (const term of q.terms) {
    const c = termClause(term, known, engine.dialect, Boolean(q.ignoreCase));
    const t: TermFacts = { term, kind: kindOf(term.field, known), matches: await count(`WHERE ${c.sql}`, c.params) };
    if (t.matches === 0) await lookUp(engine, t, known);
    facts.terms.push(t);
  }
  if (q.from || q.to) {
    const days = whereOf({ terms: [], from: q.from, to: q.to }, fields, engine.dialect);
    const span = (await engine.query(`SELECT min(s.dt) AS first, max(s.dt) AS last FROM ${S} s`))[0] ?? {};
    facts.days = {
      from: q.from,
      to: q.to,
      matches: await count(
        `WHERE ${days.map((d) => d.sql).join(' AND ')}`,
        days.flatMap((d) => d.params),
      ),
      first: span.first as string | undefined,
      last: span.last as string | undefined,
    };
  }
  const all = whereOf({ terms: q.terms, from: q.from, to: q.to, ignoreCase: q.ignoreCase }, fields, engine.dialect);
  facts.together = all.length
    ? await count(
        `WHERE ${all.map((c) => c.sql).join(' AND ')}`,
        all.flatMap((c) => c.params),
      )
    : sessions;
  const versions = await engine.query(`SELECT DISTINCT pipeline, pipeline_version FROM ${engine.tables.files} ORDER BY pipeline, pipeline_version`);
  facts.versions = versions.map((r) => `${String(r.pipeline)}/${String(r.pipeline_version)}`);
  return explainEmpty(facts);
}

function kindOf(field: string, known: Required<KnownFields>): TermFacts['kind'] {
  if (FIXED_NUMERIC.includes(field) || known.numeric.includes(field)) return 'numeric';
  if (FIXED_TEXT.includes(field) || known.text.includes(field)) return 'text';
  return 'time';
}

/** The values (text) or range (numbers, times) of the term's field, to suggest from. */
async function lookUp(engine: QueryEngine, t: TermFacts, known: Required<KnownFields>): Promise<void> {
  const S = engine.tables.sessions;
  const field = t.term.field;
  const isVar = known.numeric.includes(field) || known.text.includes(field);
  const expr = (map: 'num_vars' | 'text_vars') => (isVar ? { sql: mapGet(engine.dialect, map), params: [field] } : { sql: `s.${field}`, params: [] });
  if (t.kind === 'text' || (known.mixed.includes(field) && t.term.op === '=')) {
    const e = expr('text_vars');
    const rows = await engine.query(`SELECT DISTINCT ${e.sql} AS v FROM ${S} s WHERE ${e.sql} IS NOT NULL`, [...e.params, ...e.params]);
    t.values = rows.map((r) => String(r.v)).slice(0, 10_000);
    if (t.kind === 'text') return;
  }
  const e = expr('num_vars');
  const r = (await engine.query(`SELECT min(${e.sql}) AS lo, max(${e.sql}) AS hi FROM ${S} s`, [...e.params, ...e.params]))[0] ?? {};
  t.range = { lo: (r.lo as string | number | null) ?? null, hi: (r.hi as string | number | null) ?? null };
}
