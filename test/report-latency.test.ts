// The merged latency curve against values known exactly: two repetitions whose histograms hold
// 1..1000 us and 1001..2000 us. Merged, the percentiles are those of 1..2000 (HdrHistogram keeps
// 3 significant digits, so values agree to 0.1 %).
import hdr from "hdr-histogram-js";
import { describe, expect, it } from "vitest";

import { latencyCurve } from "../src/report/latency.js";
import type { RunOk } from "../src/model/index.js";

function runWith(from: number, to: number): RunOk {
  const h = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
    bitBucketSize: 64,
    useWebAssembly: false,
    autoResize: true,
  });
  for (let v = from; v <= to; v++) h.recordValue(v);
  const latencyHdr = hdr.encodeIntoCompressedBase64(h);
  h.destroy();
  // Only the histogram matters to latencyCurve; the rest of the run is not read.
  return { latencyHdr } as RunOk;
}

describe("latency curve", () => {
  it("merges repetitions' histograms and reads percentiles on the 1/(1-p) ladder", () => {
    const c = latencyCurve("t", "default", [runWith(1, 1000), runWith(1001, 2000)])!;
    expect(c.count).toBe(2000);
    const at = (x: number) => c.points.find((p) => Math.abs(p.x - x) < 1e-9)!;
    expect(at(2).percentile).toBeCloseTo(50, 9);
    expect(at(2).latencyUs / 1000).toBeCloseTo(1, 2); // p50 of 1..2000 = 1000
    expect(at(10).latencyUs / 1800).toBeCloseTo(1, 2); // p90 = 1800
    expect(at(100).latencyUs / 1980).toBeCloseTo(1, 2); // p99 = 1980
    const last = c.points[c.points.length - 1]!;
    expect(last.percentile).toBe(100);
    expect(Math.abs(last.latencyUs - 2000)).toBeLessThanOrEqual(2);
    // The ladder stops where a percentile would be finer than one sample.
    expect(Math.max(...c.points.map((p) => p.x))).toBeLessThanOrEqual(2000);
    // Monotone.
    for (let i = 1; i < c.points.length; i++) expect(c.points[i]!.latencyUs).toBeGreaterThanOrEqual(c.points[i - 1]!.latencyUs);
  });
});
