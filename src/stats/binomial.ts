// Binomial probabilities for Bin(n, 1/2), the distribution behind the sign test and the
// order-statistic interval for a median. Computed in log space so n in the thousands stays exact
// to double precision (simple-statistics' binomialDistribution truncates its tail at an epsilon,
// which is what an interval's coverage is made of, so it is not used here).

function logChoose(n: number, k: number): number {
  let s = 0;
  // ln C(n,k) = sum_{i=1..k} ln((n-k+i)/i); k <= n/2 keeps the loop short.
  const kk = Math.min(k, n - k);
  for (let i = 1; i <= kk; i++) s += Math.log((n - kk + i) / i);
  return s;
}

/** P(X <= k) for X ~ Bin(n, 1/2). */
export function binomialHalfCdf(n: number, k: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  const ln2n = n * Math.log(2);
  let p = 0;
  for (let i = 0; i <= k; i++) p += Math.exp(logChoose(n, i) - ln2n);
  return Math.min(1, p);
}
