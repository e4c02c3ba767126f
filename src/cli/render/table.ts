/** Pure renderers for tabular results: a cli-table3 table for people, RFC 4180 CSV for pandas. */
import Table from 'cli-table3';

export function renderTable(columns: string[], rows: Record<string, unknown>[], footer?: string): string {
  const t = new Table({ head: columns, style: { head: [], border: [] } });
  for (const r of rows) t.push(columns.map((c) => String(r[c] ?? '')));
  return t.toString() + (footer ? `\n${footer}` : '');
}

const cell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function renderCsv(columns: string[], rows: Record<string, unknown>[]): string {
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}
