/**
 * The nearest of the known words to a misspelt one, for "did you mean …?" hints: the edit
 * distance (Damerau: a swap of two neighbours counts once, as `dya` for `day`) must be small
 * against the word's length, so a hint is offered only where it is likely the one meant.
 */
export function didYouMean(word: string, known: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of known) {
    if (candidate === word) return undefined;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (best === undefined || distance < best.distance) best = { candidate, distance };
  }
  if (best === undefined) return undefined;
  const allowed = Math.max(1, Math.floor(Math.max(word.length, best.candidate.length) / 3));
  return best.distance <= allowed ? best.candidate : undefined;
}

/** ` (did you mean "x"?)` or nothing. */
export function didYouMeanHint(word: string, known: Iterable<string>): string {
  const near = didYouMean(word, known);
  return near === undefined ? '' : ` (did you mean "${near}"?)`;
}

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const above = d[i - 1] as number[];
      let value = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, ((d[i - 2] as number[])[j - 2] as number) + 1);
      row[j] = value;
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}
