// Percentile bootstrap interval for the ratio of two medians, median(new) / median(old).
//
// Each side is resampled with replacement on its own (the repetitions of the two results are
// independent), the ratio of the resampled medians is recorded B times, and the interval is the
// (alpha/2, 1 - alpha/2) quantiles of those ratios (Efron & Tibshirani 1993, ch. 13). The seed is
// fixed, so the same inputs always give the same interval. With very few repetitions the interval
// is coarse (it can only take values that are ratios of sample values); the p-value from the
// Mann-Whitney test, not this interval, decides significance.
import { median as ssMedian, quantileSorted, sampleWithReplacement } from "simple-statistics";

import { mulberry32 } from "./prng.js";

export const BOOTSTRAP_SEED = 0x5eed_b007;
export const BOOTSTRAP_RESAMPLES = 10_000;

export interface RatioInterval {
  ratio: number;
  lo: number;
  hi: number;
  confidence: number;
  resamples: number;
  seed: number;
}

export function bootstrapRatioOfMedians(
  oldValues: readonly number[],
  newValues: readonly number[],
  opts: { confidence?: number; resamples?: number; seed?: number } = {},
): RatioInterval | null {
  const confidence = opts.confidence ?? 0.95;
  const resamples = opts.resamples ?? BOOTSTRAP_RESAMPLES;
  const seed = opts.seed ?? BOOTSTRAP_SEED;
  const x = oldValues.filter(Number.isFinite);
  const y = newValues.filter(Number.isFinite);
  if (x.length === 0 || y.length === 0) return null;
  const base = ssMedian(x);
  if (base === 0) return null; // a ratio to zero has no meaning (e.g. GC/s of a target without GC)
  const rand = mulberry32(seed);
  const ratios: number[] = [];
  for (let b = 0; b < resamples; b++) {
    const mx = ssMedian(sampleWithReplacement(x, x.length, rand));
    const my = ssMedian(sampleWithReplacement(y, y.length, rand));
    // A resample whose old median is 0 has an infinite ratio; it stays in, as +Infinity, so the
    // upper bound says "unbounded" instead of silently shrinking.
    ratios.push(mx === 0 ? Number.POSITIVE_INFINITY : my / mx);
  }
  ratios.sort((a, b) => a - b);
  const alpha = 1 - confidence;
  return {
    ratio: ssMedian(y) / base,
    lo: quantileSorted(ratios, alpha / 2),
    hi: quantileSorted(ratios, 1 - alpha / 2),
    confidence,
    resamples,
    seed,
  };
}
