// The interval a decision from few repetitions rests on. With n samples and no assumption about
// their distribution, the median's interval [x(1), x(n)] covers it with only 1 - 2^(1-n): 75 % at
// n = 3, so 3 repetitions all beside a goal would "decide" it 1 time in 4 when the truth sits on
// it. Below the n where order statistics reach the confidence, the decision interval is therefore
// also the Student-t interval of the mean of the values' logarithms (ratios and rates of a server
// vary multiplicatively: log-normal is the assumption), and the wider of the two is taken: a
// decision needs both. From that n on, the distribution-free interval alone decides.
import { gammaln, mean, sampleStandardDeviation } from "simple-statistics";

import { medianInterval, minSamplesForConfidence, type MedianSummary } from "./median.js";

/** P(0 <= T <= x) for Student's t with df degrees of freedom, by Simpson's rule over its density
 *  (smooth; 2,000 panels give 1e-9 here). */
function tMass(x: number, df: number): number {
  const logC = gammaln((df + 1) / 2) - gammaln(df / 2) - 0.5 * Math.log(df * Math.PI);
  const density = (t: number) => Math.exp(logC - ((df + 1) / 2) * Math.log(1 + (t * t) / df));
  const n = 2000;
  const h = x / n;
  let s = density(0) + density(x);
  for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * density(i * h);
  return (s * h) / 3;
}

const quantiles = new Map<string, number>();

/** The two-sided Student-t quantile: P(|T| <= q) = confidence, by bisection (kept once computed). */
export function tQuantile(confidence: number, df: number): number {
  const key = `${confidence}:${df}`;
  const known = quantiles.get(key);
  if (known !== undefined) return known;
  const q = bisectQuantile(confidence, df);
  quantiles.set(key, q);
  return q;
}

function bisectQuantile(confidence: number, df: number): number {
  let lo = 0;
  let hi = 1000;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (2 * tMass(mid, df) < confidence) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The geometric mean's Student-t interval (the mean of the logs, back-transformed); null under 2 samples or with a value <= 0. */
export function logMeanInterval(values: readonly number[], confidence = 0.95): { lo: number; hi: number } | null {
  if (values.length < 2 || values.some((v) => !(v > 0))) return null;
  const logs = values.map(Math.log);
  const half = (tQuantile(confidence, logs.length - 1) * sampleStandardDeviation(logs)) / Math.sqrt(logs.length);
  const m = mean(logs);
  return { lo: Math.exp(m - half), hi: Math.exp(m + half) };
}

/** The interval a stop or a goal's decision rests on: the median's order-statistic interval, widened
 *  to the log-mean t-interval while n is too small for order statistics to reach the confidence;
 *  null under 2 values. */
export function decisionInterval(values: readonly number[], confidence = 0.95): MedianSummary | null {
  const finite = values.filter(Number.isFinite);
  const m = medianInterval(finite, confidence);
  if (m === null) return null;
  const base = { median: m.median, lo: m.lo, hi: m.hi, n: m.n };
  if (finite.length >= minSamplesForConfidence(confidence)) return base;
  const t = logMeanInterval(finite, confidence);
  // One value: no interval at all; a value <= 0 (no log): the order statistics alone.
  if (t === null) return finite.length < 2 ? null : base;
  return { ...base, lo: Math.min(base.lo, t.lo), hi: Math.max(base.hi, t.hi) };
}
