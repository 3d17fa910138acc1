// The order-statistic interval for a median against the published coverage table (Conover,
// "Practical Nonparametric Statistics", table A3 / Nair 1940), each value also worked by hand
// from the binomial sums in the comments.
import { describe, expect, it } from "vitest";

import { binomialHalfCdf, medianInterval, minSamplesForConfidence, summarize } from "../src/stats/index.js";

const ranks = (n: number) => Array.from({ length: n }, (_, i) => i + 1); // x(k) = k

describe("binomial Bin(n, 1/2)", () => {
  it("P(X <= 5), n = 20: (1+20+190+1140+4845+15504) / 2^20", () => {
    expect(binomialHalfCdf(20, 5)).toBeCloseTo(21700 / 1048576, 14);
  });
});

describe("median interval from order statistics, 95 %", () => {
  it.each([
    // n, k (interval [x(k), x(n+1-k)]), coverage 1 - 2 P(X <= k-1)
    [6, 1, 1 - 2 / 64],
    [8, 1, 1 - 2 / 256],
    [10, 2, 1 - (2 * 11) / 1024],
    [15, 4, 1 - (2 * 576) / 32768],
    [20, 6, 1 - (2 * 21700) / 1048576],
  ])("n=%i: [x(%i), x(n+1-k)] with coverage %f", (n, k, coverage) => {
    const r = medianInterval(ranks(n).reverse())!; // unsorted input on purpose
    expect(r.lo).toBe(k);
    expect(r.hi).toBe(n + 1 - k);
    expect(r.coverage).toBeCloseTo(coverage, 12);
    expect(r.reached).toBe(true);
  });

  it("n=5 cannot reach 95 %: min/max with 93.75 % coverage", () => {
    const r = medianInterval([3, 1, 5, 2, 4])!;
    expect([r.lo, r.median, r.hi]).toEqual([1, 3, 5]);
    expect(r.reached).toBe(false);
    expect(r.coverage).toBeCloseTo(0.9375, 12);
    expect(minSamplesForConfidence(0.95)).toBe(6);
  });

  it("summarize: median of an even count is the mean of the middle two", () => {
    expect(summarize([10, 40, 20, 30])).toEqual({ median: 25, lo: 10, hi: 40, n: 4 });
    expect(summarize([7])).toEqual({ median: 7, lo: 7, hi: 7, n: 1 });
    expect(summarize([])).toBeNull();
    expect(summarize([Number.NaN, 2])).toEqual({ median: 2, lo: 2, hi: 2, n: 1 });
  });
});
