/** Pure renderers for tabular results: a cli-table3 table for people, RFC 4180 CSV for pandas. */
import Table from 'cli-table3';
import { fitTable, wrapText, type FitOptions } from '../../core/text-table.js';

export function renderTable(columns: string[], rows: Record<string, unknown>[], footer?: string): string {
  const t = new Table({ head: columns, style: { head: [], border: [] } });
  for (const r of rows) t.push(columns.map((c) => text(r[c])));
  return t.toString() + (footer ? `\n${footer}` : '');
}

/**
 * A table fitted to `width` terminal columns (0 or unknown: a default), with a line naming the
 * columns left out, if any, and how to see them.
 */
export function renderFitted(columns: string[], rows: Record<string, unknown>[], width: number, footer?: string, o: FitOptions = {}): string {
  const { text: body, hidden } = fitTable(
    columns,
    rows.map((r) => columns.map((c) => text(r[c]).replace(/[\r\n\t]+/g, ' '))),
    width,
    o,
  );
  const more = hidden.length
    ? `\n(${hidden.length} more column${hidden.length === 1 ? '' : 's'} not shown: ${hidden.join(', ')}; widen the terminal, name fewer variables with --columns, or use --format csv)`
    : '';
  return body + wrapText(more + (footer ? `\n${footer}` : ''), width);
}

/** A value as cell text: nothing for null, JSON for objects (never "[object Object]"). */
const text = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v) ?? '';
};

const cell = (v: unknown) => {
  const s = text(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function renderCsv(columns: string[], rows: Record<string, unknown>[]): string {
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}
