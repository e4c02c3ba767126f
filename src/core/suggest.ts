/**
 * "Did you mean": the candidates nearest to what was typed, by edit distance ignoring case
 * (Damerau-Levenshtein, optimal string alignment: a swapped pair of letters counts as one edit).
 * Pure; used for unknown fields, variables, operators, values and snapshot names.
 */

/** Edits (insert, delete, substitute, swap two neighbours) between `a` and `b`, ignoring case. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  if (s === t) return 0;
  // Three rows of the dynamic-programming table are enough for the swap rule.
  let before = new Array<number>(t.length + 1).fill(0);
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, before[j - 2] + 1);
      row.push(d);
    }
    before = prev;
    prev = row;
  }
  return prev[t.length];
}

/**
 * The candidates close enough to `word` to be what was meant, nearest first (ties in the
 * candidates' order), at most `limit`. Close enough: a third of the word's length in edits (at
 * least one), or the word found inside a longer candidate (`fatigue` for `fatigue_level`).
 */
export function suggest(word: string, candidates: Iterable<string>, limit = 3): string[] {
  const w = word.toLowerCase();
  if (w === '') return [];
  const budget = Math.max(1, Math.floor(w.length / 3));
  const scored: { c: string; d: number; i: number }[] = [];
  let i = 0;
  for (const c of new Set(candidates)) {
    const d = editDistance(w, c);
    const inside = w.length >= 3 && c.toLowerCase().includes(w) ? budget : Infinity;
    const score = Math.min(d, inside);
    if (score <= budget) scored.push({ c, d: score, i: i++ });
  }
  return scored
    .sort((x, y) => x.d - y.d || x.i - y.i)
    .slice(0, limit)
    .map((x) => x.c);
}

/** `did you mean "a" or "b"?`, or '' when there is nothing to suggest. */
export function didYouMean(word: string, candidates: Iterable<string>, limit = 3): string {
  const s = suggest(word, candidates, limit);
  if (s.length === 0) return '';
  const quoted = s.map((x) => (/^[\w.:/+-]+$/.test(x) ? x : JSON.stringify(x)));
  return `did you mean ${quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`}?`;
}
