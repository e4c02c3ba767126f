/**
 * Plain-text tables fitted to a terminal's width: aligned columns (numbers on the right), the
 * widest cells shortened with "…" first, and whole columns left out (last ones first) only when
 * even shortened they do not fit; the caller is told which, to say so. No box drawing: every
 * character goes to data. Pure: the width is the caller's (a terminal's columns, or a default
 * where there is no terminal or it reports 0).
 */

/** Where no terminal says how wide it is (a pipe, a 0-column pseudo-terminal). */
export const DEFAULT_WIDTH = 100;
/** Spaces between columns. */
const GAP = 2;
/** A column is not shortened below this (or its natural width, if smaller). */
const MIN_CELL = 8;

/** A fitted table: its text, and the columns that did not fit. */
export interface Fitted {
  text: string;
  hidden: string[];
}

export interface FitOptions {
  /** Columns in the order they are given up when the table is too wide (default: last first, never the first). */
  dropOrder?: string[];
  /** Columns never shortened below their natural width (an id people copy). */
  whole?: string[];
}

const len = (s: string) => [...s].length;
const cut = (s: string, w: number) => (len(s) <= w ? s : w <= 1 ? '…'.slice(0, w) : [...s].slice(0, w - 1).join('') + '…');
const NUMERIC = /^-?\d+(\.\d+)?( ?[kMGTP]?B)?$/;

/** Widths that fit `width`, or undefined when even the narrowest do not. */
function fit(natural: number[], mins: number[], width: number): number[] | undefined {
  const w = [...natural];
  const total = () => w.reduce((a, b) => a + b, 0) + GAP * (w.length - 1);
  let over = total() - width;
  while (over > 0) {
    let widest = -1;
    for (let i = 0; i < w.length; i++) if (w[i] > mins[i] && (widest < 0 || w[i] > w[widest])) widest = i;
    if (widest < 0) return undefined;
    w[widest]--;
    over--;
  }
  return w;
}

/** Renders `rows` (cells as text) under `headers`, fitted to `width` columns. */
export function fitTable(headers: string[], rows: string[][], width: number, o: FitOptions = {}): Fitted {
  const max = width > 0 && Number.isFinite(width) ? Math.floor(width) : DEFAULT_WIDTH;
  let shown = headers.map((_, i) => i);
  const natural = headers.map((h, i) => Math.max(len(h), ...rows.map((r) => len(r[i] ?? ''))));
  const mins = headers.map((h, i) => (o.whole?.includes(h) || i === 0 ? natural[i] : Math.min(natural[i], Math.max(MIN_CELL, Math.min(len(h), 12)))));
  const order = (o.dropOrder ?? [...headers].reverse()).map((h) => headers.indexOf(h)).filter((i) => i > 0);
  let widths = fit(natural, mins, max);
  while (!widths) {
    const drop = order.find((i) => shown.includes(i));
    if (drop === undefined) {
      // Only the first column is left and it is wider than the screen: shorten it after all.
      widths = [Math.min(natural[0], max)];
      break;
    }
    shown = shown.filter((i) => i !== drop);
    widths = fit(
      shown.map((i) => natural[i]),
      shown.map((i) => mins[i]),
      max,
    );
  }
  const right = shown.map((i) => rows.length > 0 && rows.every((r) => (r[i] ?? '') === '' || NUMERIC.test(r[i])));
  const line = (cells: string[]) =>
    cells
      .map((c, k) => {
        const t = cut(c, widths[k]);
        return right[k] ? t.padStart(widths[k]) : t.padEnd(widths[k]);
      })
      .join(' '.repeat(GAP))
      .trimEnd();
  const text = [line(shown.map((i) => headers[i])), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(shown.map((i) => r[i] ?? '')))].join('\n');
  return { text, hidden: headers.filter((_, i) => !shown.includes(i)) };
}

/** `text` broken at spaces into lines of at most `width` characters (a word longer than that is cut). */
export function wrapText(text: string, width: number): string {
  const max = width > 0 && Number.isFinite(width) ? Math.floor(width) : DEFAULT_WIDTH;
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(' ')) {
      const w = len(word) > max ? cut(word, max) : word;
      if (line && len(line) + 1 + len(w) > max) {
        out.push(line);
        line = w;
      } else line = line ? `${line} ${w}` : w;
    }
    out.push(line);
  }
  return out.join('\n');
}
