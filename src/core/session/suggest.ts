/**
 * "Did you mean": the closest known name for a misspelt one, by edit distance with transpositions
 * (optimal string alignment): `fatigeu` is one swap from `fatigue`.
 */

/** Edits (insert, delete, substitute, swap two neighbours) between `a` and `b`. */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.length][b.length];
}

/**
 * The known name closest to `name`, if it is close enough to be a typo: at most 2 edits, and
 * fewer than a third of the longer name (so `a` is not "corrected" to `b`). Ties go to the first
 * in `known` order.
 */
export function closestName(name: string, known: Iterable<string>): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const k of known) {
    if (k === name) return undefined;
    const d = editDistance(name, k);
    if (d <= 2 && d * 3 < Math.max(name.length, k.length) && (!best || d < best.d)) best = { name: k, d };
  }
  return best?.name;
}
