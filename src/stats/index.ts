// Statistics for evbench: medians with distribution-free intervals, the Mann-Whitney U test, and
// a bootstrap interval for a ratio of medians. Nothing here knows about result files.
export { summarize, median, medianCoverage, medianInterval, medianIntervalSorted, minSamplesForConfidence } from "./median.js";
export type { MedianInterval, MedianSummary } from "./median.js";
export { mannWhitneyU, exactUCounts, smallestExactP } from "./mann-whitney.js";
export type { MannWhitneyResult } from "./mann-whitney.js";
export { bootstrapRatioOfMedians, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED } from "./bootstrap.js";
export type { RatioInterval } from "./bootstrap.js";
export { binomialHalfCdf } from "./binomial.js";
export { sortSamples, orderStat } from "./sorted.js";
export type { SortedSamples } from "./sorted.js";
export { decisionInterval, logMeanInterval, tQuantile } from "./t-interval.js";
