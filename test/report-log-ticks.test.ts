// The scaling charts' log axes (src/report/axis-format.ts): 1-2-5 ticks whose labels fit, from
// the tick at or below the smallest point to the one at or above the largest.
import { describe, expect, it } from "vitest";

import { logTicks } from "../src/report/axis-format.js";

describe("logTicks", () => {
  it("spans the points with 1-2-5 ticks, both ends labelled", () => {
    expect(logTicks(1000, 19_000)).toEqual([1000, 2000, 5000, 10_000, 20_000]);
    expect(logTicks(22, 950)).toEqual([20, 50, 100, 200, 500, 1000]);
    expect(logTicks(20, 20)).toEqual([20]);
  });

  it("keeps only the powers of ten past three decades", () => {
    expect(logTicks(300, 1_000_000)).toEqual([100, 1000, 10_000, 100_000, 1_000_000]);
  });

  it("gives nothing to a log axis without positive points", () => {
    expect(logTicks(0, 10)).toEqual([]);
    expect(logTicks(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY)).toEqual([]);
  });
});
