// The slow-phase rule's two thresholds (src/verdict/thresholds.ts): the probe's loop and its round
// trip each judged against its own quiet spread, the worst sample the one furthest past its own.
import { describe, expect, it } from "vitest";

import type { SpeedRecord } from "../src/model/index.js";
import { excessOf } from "../src/probe/speed-baseline.js";
import { slowPhaseReasons } from "../src/verdict/slow-phase.js";

function record(work: number, shared: number, roundTrip: number): SpeedRecord {
  const worst = { edge: "start" as const, cpu: 1, slowdown: Math.max(work * shared, roundTrip), work, shared, roundTrip };
  return { samples: [], slowdown: worst.slowdown, worst, baselineFrom: 10, failure: null };
}
const flagged = (work: number, shared: number, roundTrip: number) => slowPhaseReasons(record(work, shared, roundTrip)).length > 0;

describe("slow-phase", () => {
  it("passes the quiet machine's own spread (loop 1.13x, round trip 1.72x)", () => {
    expect(flagged(1.13, 1.0, 1.0)).toBe(false);
    expect(flagged(1.0, 1.0, 1.72)).toBe(false);
  });

  it("flags a shared CPU, a slower host, or a round trip past twice its fastest", () => {
    expect(flagged(1.0, 1.9, 1.0)).toBe(true);
    expect(flagged(1.3, 1.0, 1.0)).toBe(true);
    expect(flagged(1.0, 1.0, 2.4)).toBe(true);
    expect(slowPhaseReasons(record(1.0, 1.0, 2.4))[0]!.message).toMatch(/its round trip > 100 %/);
  });

  it("ranks samples by how far past their own threshold they are", () => {
    // A round trip 1.7x (under its 2x) is less of a slow phase than a loop 1.3x (past its 1.25x).
    expect(excessOf(1.3, 1.0)).toBeGreaterThan(excessOf(1.0, 1.7));
  });
});
