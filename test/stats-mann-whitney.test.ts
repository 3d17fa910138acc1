// Mann-Whitney U against published values: the two-sided 0.05 critical-value table and the
// scipy.stats.mannwhitneyu documentation example, plus a tied example worked by hand.
import { describe, expect, it } from "vitest";

import { exactUCounts, mannWhitneyU, smallestExactP } from "../src/stats/index.js";

/** Two samples of sizes (m, n) with exactly U = u: x's values interleaved below y's as needed. */
function samplesWithU(m: number, n: number, u: number): { x: number[]; y: number[] } {
  // Put x values so that x_i beats b_i of the y values, sum b_i = u, b_i <= n; no ties.
  const beats: number[] = new Array(m).fill(0);
  let left = u;
  for (let i = m - 1; i >= 0 && left > 0; i--) {
    beats[i] = Math.min(n, left);
    left -= beats[i]!;
  }
  const y = Array.from({ length: n }, (_, j) => 10 * (j + 1));
  const x = beats.map((b, i) => 10 * b + 5 + i / 100); // above exactly b of the y values
  return { x, y };
}

// Critical values of U for a two-sided test at alpha = 0.05 (the standard table printed in
// statistics textbooks, e.g. Zar, "Biostatistical Analysis", table B.11): U <= crit is significant.
const CRITICAL: Array<[number, number, number]> = [
  [2, 8, 0],
  [2, 9, 0],
  [2, 10, 0],
  [3, 5, 0],
  [3, 6, 1],
  [3, 7, 1],
  [3, 8, 2],
  [3, 9, 2],
  [3, 10, 3],
  [4, 4, 0],
  [4, 5, 1],
  [4, 6, 2],
  [4, 7, 3],
  [4, 8, 4],
  [4, 9, 4],
  [4, 10, 5],
  [5, 5, 2],
  [5, 6, 3],
  [5, 7, 5],
  [5, 8, 6],
  [5, 9, 7],
  [5, 10, 8],
  [6, 6, 5],
  [6, 7, 6],
  [6, 8, 8],
  [6, 9, 10],
  [6, 10, 11],
  [7, 7, 8],
  [7, 8, 10],
  [7, 9, 12],
  [7, 10, 14],
  [8, 8, 13],
  [8, 9, 15],
  [8, 10, 17],
  [9, 9, 17],
  [9, 10, 20],
  [10, 10, 23],
];

describe("Mann-Whitney U, exact distribution", () => {
  it("counts C(m+n, m) arrangements, symmetric around m n / 2", () => {
    const c = exactUCounts(5, 5);
    expect(c.reduce((a, b) => a + b, 0)).toBe(252);
    expect(c.slice(0, 4)).toEqual([1, 1, 2, 3]); // partitions of 0..3 into at most 5 parts <= 5
    expect(c[25 - 3]).toBe(c[3]);
  });

  it.each(CRITICAL)("n1=%i n2=%i: U <= %i is significant at 0.05 two-sided, U+1 is not", (m, n, crit) => {
    const at = samplesWithU(m, n, crit);
    const r = mannWhitneyU(at.x, at.y)!;
    expect(r.u).toBe(crit);
    expect(r.method).toBe("exact");
    expect(r.p).toBeLessThanOrEqual(0.05);
    const above = samplesWithU(m, n, crit + 1);
    expect(mannWhitneyU(above.x, above.y)!.p).toBeGreaterThan(0.05);
  });

  it("n1=n2=5: U=2 gives p = 2 * 4/252", () => {
    const s = samplesWithU(5, 5, 2);
    expect(mannWhitneyU(s.x, s.y)!.p).toBeCloseTo(8 / 252, 12);
  });

  it("scipy docs example (males vs females): U1 = 17, exact p = 0.1111", () => {
    const males = [19, 22, 16, 29, 24];
    const females = [20, 11, 17, 12];
    const r = mannWhitneyU(males, females)!;
    expect(r.u).toBe(17);
    expect(r.method).toBe("exact");
    // P(U >= 17) = P(U <= 3) = (1 + 1 + 2 + 3) / C(9, 4) = 7/126; two-sided: 14/126.
    expect(r.p).toBeCloseTo(14 / 126, 10);
  });

  it("with 3 samples a side no result can reach p <= 0.05 (benchstat's 'too few samples')", () => {
    expect(smallestExactP(3, 3)).toBeCloseTo(0.1, 12);
    expect(smallestExactP(4, 4)).toBeCloseTo(2 / 70, 12);
    const r = mannWhitneyU([1, 2, 3], [4, 5, 6])!;
    expect(r.p).toBeCloseTo(0.1, 12);
  });
});

describe("Mann-Whitney U, normal approximation", () => {
  it("scipy docs example with method='asymptotic': p = 0.11134688653314041", () => {
    const r = mannWhitneyU([19, 22, 16, 29, 24], [20, 11, 17, 12], "normal")!;
    // z = (|17 - 10| - 0.5) / sqrt(5*4*10/12) = 1.59217...; p = erfc(z / sqrt 2).
    expect(r.p).toBeCloseTo(0.11134688653314041, 6);
  });

  it("tie correction, worked by hand", () => {
    // x = 1 2 3 3, y = 3 4 5 6. Ranks: 1 2 | 4 4 (x) 4 (y) | 6 7 8. R_x = 11, U = 11 - 10 = 1.
    // Tie term: one group of 3 -> 27 - 3 = 24. var = 16/12 * (9 - 24/56) = 11.428571...
    // z = (|1 - 8| - 0.5) / sqrt(11.428571) = 1.922731; p = 2 (1 - Phi(1.922731)) = 0.05452.
    const r = mannWhitneyU([1, 2, 3, 3], [3, 4, 5, 6])!;
    expect(r.u).toBe(1);
    expect(r.ties).toBe(true);
    expect(r.method).toBe("normal");
    expect(r.p).toBeGreaterThan(0.054);
    expect(r.p).toBeLessThan(0.055);
  });

  it("all values tied: p = 1", () => {
    expect(mannWhitneyU([5, 5, 5], [5, 5, 5])!.p).toBe(1);
  });
});
