// The Mann-Whitney U test (Wilcoxon rank-sum), two-sided, as benchstat uses it to decide whether
// two sets of repetitions differ.
//
// - No ties and both samples small enough for the exact distribution (n1 * n2 <= EXACT_MAX_CELLS):
//   the exact null distribution of U, counted by the classic recurrence
//   f(n1, n2, u) = f(n1-1, n2, u-n2) + f(n1, n2-1, u)  (Mann & Whitney 1947).
// - Otherwise: the normal approximation with the tie-corrected variance and a continuity
//   correction of 1/2 (as scipy.stats.mannwhitneyu with use_continuity=True):
//   z = (|U - n1 n2 / 2| - 1/2) / sqrt(n1 n2 / 12 * ((n + 1) - sum(t^3 - t) / (n (n - 1)))).
import { errorFunction } from "simple-statistics";

/** Beyond this many pairs the exact table costs more than it is worth; the normal law is fine there. */
const EXACT_MAX_CELLS = 2500;

export interface MannWhitneyResult {
  /** U of the first sample: the number of pairs (x, y) with x > y, ties counting 1/2. */
  u: number;
  n1: number;
  n2: number;
  /** Two-sided p-value. */
  p: number;
  method: "exact" | "normal";
  ties: boolean;
}

/** Ranks (1-based, ties get the mean rank) of the pooled samples, and the tie term sum(t^3 - t). */
function rankPooled(x: readonly number[], y: readonly number[]): { rankSumX: number; tieTerm: number } {
  const pooled = [...x.map((v) => ({ v, fromX: true })), ...y.map((v) => ({ v, fromX: false }))];
  pooled.sort((a, b) => a.v - b.v);
  let rankSumX = 0;
  let tieTerm = 0;
  for (let i = 0; i < pooled.length; ) {
    let j = i;
    while (j + 1 < pooled.length && pooled[j + 1]!.v === pooled[i]!.v) j++;
    const t = j - i + 1;
    const meanRank = (i + 1 + j + 1) / 2;
    for (let k = i; k <= j; k++) if (pooled[k]!.fromX) rankSumX += meanRank;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  return { rankSumX, tieTerm };
}

/**
 * Counts of the exact null distribution of U for sizes (m, n): counts[u] = number of the C(m+n, m)
 * equally likely rank arrangements giving U = u. Built bottom-up over (i, j) <= (m, n).
 */
export function exactUCounts(m: number, n: number): number[] {
  // table[i][j] = counts for sizes (i, j); only the previous row in i is needed.
  let prev: number[][] = [];
  for (let i = 0; i <= m; i++) {
    const row: number[][] = [];
    for (let j = 0; j <= n; j++) {
      if (i === 0 || j === 0) {
        row.push([1]);
        continue;
      }
      // Largest of the i + j values belongs to x (adds j to U) or to y (adds nothing).
      const a = prev[j]!; // sizes (i-1, j), shifted by j
      const b = row[j - 1]!; // sizes (i, j-1)
      const out = new Array<number>(i * j + 1).fill(0);
      for (let u = 0; u < a.length; u++) out[u + j]! += a[u]!;
      for (let u = 0; u < b.length; u++) out[u]! += b[u]!;
      row.push(out);
    }
    prev = row;
  }
  return prev[n]!;
}

function exactTwoSided(u: number, m: number, n: number): number {
  const counts = exactUCounts(m, n);
  const total = counts.reduce((s, c) => s + c, 0);
  let lower = 0;
  let upper = 0;
  for (let k = 0; k < counts.length; k++) {
    if (k <= u) lower += counts[k]!;
    if (k >= u) upper += counts[k]!;
  }
  return Math.min(1, (2 * Math.min(lower, upper)) / total);
}

function normalTwoSided(u: number, m: number, n: number, tieTerm: number): number {
  const N = m + n;
  const mean = (m * n) / 2;
  const variance = ((m * n) / 12) * (N + 1 - tieTerm / (N * (N - 1)));
  if (variance <= 0) return 1; // every value tied: no evidence of any difference
  const z = Math.max(0, Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
  // Two-sided tail of the standard normal: erfc(z / sqrt 2) = 1 - erf(z / sqrt 2).
  return Math.min(1, Math.max(0, 1 - errorFunction(z / Math.SQRT2)));
}

/** Two-sided Mann-Whitney U test of x against y; null when either sample is empty. */
export function mannWhitneyU(
  x: readonly number[],
  y: readonly number[],
  /** "auto": exact when there are no ties and the sizes allow it; the others force a method. */
  method: "auto" | "exact" | "normal" = "auto",
): MannWhitneyResult | null {
  const m = x.length;
  const n = y.length;
  if (m === 0 || n === 0) return null;
  const { rankSumX, tieTerm } = rankPooled(x, y);
  const u = rankSumX - (m * (m + 1)) / 2;
  const ties = tieTerm > 0;
  if (method === "exact" && ties) throw new RangeError("the exact Mann-Whitney distribution assumes no ties");
  if (method === "exact" || (method === "auto" && !ties && m * n <= EXACT_MAX_CELLS)) {
    return { u, n1: m, n2: n, p: exactTwoSided(u, m, n), method: "exact", ties };
  }
  return { u, n1: m, n2: n, p: normalTwoSided(u, m, n, tieTerm), method: "normal", ties };
}

/**
 * The smallest two-sided p-value the exact test can reach with sizes (m, n): 2 / C(m+n, m).
 * benchstat's "too few samples" rule: when even this is above alpha, no change can be detected.
 */
export function smallestExactP(m: number, n: number): number {
  let c = 1;
  for (let i = 1; i <= Math.min(m, n); i++) c = (c * (m + n - Math.min(m, n) + i)) / i;
  return Math.min(1, 2 / c);
}
