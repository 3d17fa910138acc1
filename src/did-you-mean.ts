// "Did you mean": the closest known name to a mistyped one, for flags, scenario names and target
// names alike, so every kind of typo gets the same hint. Closeness is the edit distance
// (Damerau-Levenshtein: insert, delete, substitute, swap two neighbours), and a name counts as
// close when at most a third of it differs, so "quik" finds "quick" but "x" finds nothing.

/** Edits (insert, delete, substitute, transpose neighbours) that turn a into b. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The known name closest to `word`, or null when none is close enough to be a typo of it. */
export function closest(word: string, known: readonly string[]): string | null {
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const name of known) {
    const distance = editDistance(word.toLowerCase(), name.toLowerCase());
    if (distance <= limit && distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}

/** " (did you mean quick?)" or "" when nothing is close: fits mid-sentence and at its end. */
export function didYouMean(word: string, known: readonly string[], show: (name: string) => string = (n) => n): string {
  const c = closest(word, known);
  return c === null ? "" : ` (did you mean ${show(c)}?)`;
}
