// The cost model's statistics against published values: Student's t quantiles from the standard
// table, and a least-squares fit whose intervals R's confint(lm(y ~ x)) gives for the same data.
import { describe, expect, it } from "vitest";

import { fitLine, project } from "../src/scaling/fit.js";
import { studentTQuantile } from "../src/scaling/student-t.js";

describe("Student's t quantile", () => {
  it("matches the published two-sided 95 % table", () => {
    const table: [number, number][] = [
      [1, 12.706],
      [2, 4.303],
      [3, 3.182],
      [5, 2.571],
      [10, 2.228],
      [30, 2.042],
      [120, 1.98],
    ];
    for (const [df, t] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 3);
  });

  it("refuses a probability it cannot invert", () => {
    expect(() => studentTQuantile(0.3, 4)).toThrow(RangeError);
  });
});

describe("least squares with intervals", () => {
  // x = 1..5, y = 2 4 5 4 5: R gives intercept 2.2 (-0.785, 5.185; se = sqrt(0.8 (1/5 + 9/10))), slope 0.6 (-0.300, 1.500).
  const points = [2, 4, 5, 4, 5].map((y, i) => ({ x: i + 1, y }));

  it("gives R's estimates and 95 % intervals", () => {
    const f = fitLine(points)!;
    expect(f.slope).toBeCloseTo(0.6, 10);
    expect(f.intercept).toBeCloseTo(2.2, 10);
    expect(f.slopeCi![0]).toBeCloseTo(-0.3001, 3);
    expect(f.slopeCi![1]).toBeCloseTo(1.5001, 3);
    expect(f.interceptCi![0]).toBeCloseTo(-0.7854, 3);
    expect(f.interceptCi![1]).toBeCloseTo(5.1854, 3);
    expect(f.r2).toBeCloseTo(0.6, 10);
  });

  it("projects the fitted mean with R's confidence interval (predict(..., interval = 'confidence'))", () => {
    const p = project(fitLine(points)!, points, 10);
    expect(p.value).toBeCloseTo(8.2, 10);
    // se = sqrt(0.8 (1/5 + 49/10)) = 2.0199; t = 3.1824
    expect(p.ci![0]).toBeCloseTo(8.2 - 3.18245 * Math.sqrt(0.8 * (0.2 + 4.9)), 3);
    expect(p.ci![1]).toBeCloseTo(8.2 + 3.18245 * Math.sqrt(0.8 * (0.2 + 4.9)), 3);
  });

  it("gives a line without intervals from two levels, and nothing from one", () => {
    const two = fitLine([
      { x: 1000, y: 900 },
      { x: 5000, y: 1300 },
    ])!;
    expect(two.slope).toBeCloseTo(0.1, 10);
    expect(two.slopeCi).toBeNull();
    expect(project(two, [], 100_000)).toEqual({ connections: 100_000, value: 800 + 0.1 * 100_000, ci: null });
    expect(fitLine([{ x: 1000, y: 1 }])).toBeNull();
    expect(
      fitLine([
        { x: 1000, y: 1 },
        { x: 1000, y: 2 },
      ]),
    ).toBeNull();
  });
});
