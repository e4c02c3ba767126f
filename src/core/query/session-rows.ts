/**
 * A query's files folded into one row per session, for people at a terminal: id, recording
 * time, rig, the variables asked for, how many files and how many bytes. CSV and JSON keep one
 * record per file (notebooks read those). Pure.
 */
import type { Cell } from './records.js';

/** One session's line of the default table. */
export type SessionLine = Record<string, Cell>;

/** The fixed columns of a session line, before the variables; `files` and `size` come after them. */
export const SESSION_HEAD = ['session_id', 'recorded_at', 'rig'] as const;
export const SESSION_TAIL = ['files', 'size'] as const;

/** Sessions in the order their files came (the query orders by recording time), with the given variable columns. */
export function sessionLines(files: Record<string, Cell>[], variables: string[]): { columns: string[]; lines: SessionLine[] } {
  const by = new Map<string, { first: Record<string, Cell>; files: number; bytes: number }>();
  for (const f of files) {
    const id = String(f.session_id);
    const s = by.get(id) ?? { first: f, files: 0, bytes: 0 };
    s.files++;
    s.bytes += typeof f.bytes === 'number' ? f.bytes : 0;
    by.set(id, s);
  }
  const lines = [...by.values()].map(({ first, files: n, bytes }) => {
    const line: SessionLine = {};
    for (const c of SESSION_HEAD) line[c] = first[c] ?? null;
    for (const v of variables) line[v] = first[v] ?? null;
    line.files = n;
    line.size = formatSize(bytes);
    return line;
  });
  return { columns: [...SESSION_HEAD, ...variables, ...SESSION_TAIL], lines };
}

/** Bytes as people read them: 1.5 MB, 512 kB, 12 B (powers of 1000, as `recpipe pull` reports). */
export function formatSize(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(1)} ${units[i]}`;
}
