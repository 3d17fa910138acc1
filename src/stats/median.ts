// Median and its distribution-free confidence interval from order statistics.
//
// For n samples of any continuous distribution, the interval [x(k), x(n+1-k)] contains the true
// median with probability 1 - 2 P(B <= k-1), B ~ Bin(n, 1/2) (the sign-test inversion; Conover,
// "Practical Nonparametric Statistics", 3rd ed., section 3.2). We take the largest k whose
// coverage is still >= the requested confidence, so the interval is the narrowest that keeps it.
import { medianSorted as medianOfSorted } from "simple-statistics";

import { binomialHalfCdf } from "./binomial.js";
import { orderStat, sortSamples, type SortedSamples } from "./sorted.js";

export function median(values: readonly number[]): number | null {
  const s = sortSamples(values);
  return s.length === 0 ? null : medianOfSorted(s);
}

export interface MedianInterval {
  median: number;
  lo: number;
  hi: number;
  n: number;
  /** Coverage actually achieved: >= the requested confidence unless `reached` is false. */
  coverage: number;
  /** False when n is too small for the requested confidence (n <= 5 at 95 %): lo/hi are min/max. */
  reached: boolean;
}

/** The smallest n for which [x(1), x(n)] already covers the median with `confidence`. */
export function minSamplesForConfidence(confidence: number): number {
  let n = 1;
  while (1 - 2 * binomialHalfCdf(n, 0) < confidence) n++;
  return n;
}

export function medianIntervalSorted(s: SortedSamples, confidence = 0.95): MedianInterval | null {
  const n = s.length;
  if (n === 0) return null;
  const med = medianOfSorted(s);
  let k = 0;
  // Walk k up while the next interval inward still keeps the coverage.
  while (k + 1 <= n - k && 1 - 2 * binomialHalfCdf(n, k) >= confidence) k++;
  if (k === 0) {
    // Not even [min, max] reaches the confidence: report min/max with the coverage they do have.
    return {
      median: med,
      lo: orderStat(s, 1),
      hi: orderStat(s, n),
      n,
      coverage: n > 1 ? 1 - 2 * binomialHalfCdf(n, 0) : 0,
      reached: false,
    };
  }
  return { median: med, lo: orderStat(s, k), hi: orderStat(s, n + 1 - k), n, coverage: 1 - 2 * binomialHalfCdf(n, k - 1), reached: true };
}

export function medianInterval(values: readonly number[], confidence = 0.95): MedianInterval | null {
  return medianIntervalSorted(sortSamples(values), confidence);
}

/**
 * The median with its distribution-free 95 % interval, for result summaries.
 *
 * The interval is [x(k), x(n+1-k)] from order statistics (see medianInterval). With n <= 5 samples
 * no pair of order statistics reaches 95 % (even [min, max] covers only 1 - 2^(1-n): 93.75 % at
 * n = 5, 50 % at n = 2), so lo/hi are then the minimum and maximum and the interval is narrower in
 * confidence than it looks; with n = 1 it is the single value. Non-finite values are dropped;
 * returns null when nothing is left.
 */
/** A median with its interval and sample count (the shape of a result file's Interval). */
export interface MedianSummary {
  median: number;
  lo: number;
  hi: number;
  n: number;
}

export function summarize(values: number[]): MedianSummary | null {
  const r = medianInterval(values, 0.95);
  return r === null ? null : { median: r.median, lo: r.lo, hi: r.hi, n: r.n };
}

/** The coverage the median's order-statistic interval reaches with n samples (below 95 % for n <= 5). */
export function medianCoverage(n: number, confidence = 0.95): number {
  return (
    medianInterval(
      Array.from({ length: n }, (_, i) => i),
      confidence,
    )?.coverage ?? 0
  );
}
