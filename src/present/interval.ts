// Intervals say what they are, in the same words in every output. The order-statistic interval of
// a median (src/stats/median.ts) reaches 95 % coverage only from 6 samples on; below that the
// bounds are the minimum and the maximum, and with one sample there is no interval at all.
import { minSamplesForConfidence } from "../stats/index.js";

export interface IntervalLike {
  median: number;
  lo: number;
  hi: number;
  n: number;
}

/** The fewest samples for which the interval printed is a 95 % confidence interval. */
export const CI_MIN_SAMPLES = minSamplesForConfidence(0.95);

export type IntervalKind = "95% CI" | "min..max" | null;

export function intervalKind(n: number): IntervalKind {
  if (n < 2) return null;
  return n >= CI_MIN_SAMPLES ? "95% CI" : "min..max";
}

/** "16.6k (15.9k..17.0k) [min..max]", "16.6k (...) [95% CI]", or "16.6k" for one sample. */
export function formatInterval(iv: IntervalLike | null, fmt: (v: number) => string): string {
  if (iv === null) return "-";
  const kind = intervalKind(iv.n);
  if (kind === null) return fmt(iv.median);
  return `${fmt(iv.median)} (${fmt(iv.lo)}..${fmt(iv.hi)}) [${kind}]`;
}

/** "16.6k 15.9k..17.0k": the interval without its kind, for a column whose header names the kind. */
export function formatIntervalBare(iv: IntervalLike | null, fmt: (v: number) => string): string {
  if (iv === null) return "-";
  return intervalKind(iv.n) === null ? fmt(iv.median) : `${fmt(iv.median)} ${fmt(iv.lo)}..${fmt(iv.hi)}`;
}

/** "± 3.2% [min..max]": the interval's wider half as a share of the median, for compact cells. */
export function formatSpread(iv: IntervalLike): string {
  const kind = intervalKind(iv.n);
  if (kind === null || iv.lo === iv.hi) return "";
  const spread = iv.median === 0 ? 0 : (Math.max(iv.hi - iv.median, iv.median - iv.lo) / Math.abs(iv.median)) * 100;
  return ` ± ${spread < 10 ? spread.toFixed(1) : spread.toFixed(0)}% [${kind}]`;
}

export const INTERVAL_SHORT = `the interval of the median (a 95 % CI from ${CI_MIN_SAMPLES} repetitions, min..max below)`;

export const INTERVAL_LEGEND = `intervals: [95% CI] is the distribution-free 95 % confidence interval of the median from order statistics (${CI_MIN_SAMPLES} or more repetitions); [min..max] is the range of fewer repetitions, which no order-statistic interval can cover at 95 %; one repetition has no interval`;
