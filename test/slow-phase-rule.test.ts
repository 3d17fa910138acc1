// The slow-phase rule (src/verdict/thresholds.ts): the probe's loop judged against its quiet
// spread; the round trip recorded beside it and not judged (its quiet spread reached 2.34x).
import { describe, expect, it } from "vitest";

import type { SpeedRecord } from "../src/model/index.js";
import { slowPhaseReasons } from "../src/verdict/slow-phase.js";

function record(work: number, shared: number, roundTrip: number): SpeedRecord {
  const worst = { edge: "start" as const, cpu: 1, slowdown: work * shared, work, shared, roundTrip };
  return { samples: [], slowdown: worst.slowdown, worst, baselineFrom: 10, failure: null };
}
const flagged = (work: number, shared: number, roundTrip: number) => slowPhaseReasons(record(work, shared, roundTrip)).length > 0;

describe("slow-phase", () => {
  it("passes the quiet machine's own spread (loop 1.13x; round trip up to 2.34x)", () => {
    expect(flagged(1.13, 1.0, 1.0)).toBe(false);
    expect(flagged(1.09, 1.0, 2.34)).toBe(false);
  });

  it("flags a shared CPU or a slower host, naming the parts", () => {
    expect(flagged(1.0, 1.9, 1.0)).toBe(true);
    expect(flagged(1.3, 1.0, 1.0)).toBe(true);
    expect(slowPhaseReasons(record(1.0, 1.9, 1.1))[0]!.message).toMatch(
      /its loop 90 % slower .*CPU shared 1\.90x; loopback round trip 1\.10x, not judged\) > 25 %/,
    );
  });
});
