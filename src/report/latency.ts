// The latency percentile curve, HdrHistogram-style: every repetition's encoded histogram is
// decoded and merged (histograms add exactly; percentiles of percentiles would not), then read at
// percentiles spaced evenly on the 1/(1-p) axis, as HdrHistogram's plotter draws them.
import hdr from "hdr-histogram-js";

import type { RunOk } from "../model/index.js";

export interface CurvePoint {
  /** Percentile, 0..100. */
  percentile: number;
  /** 1 / (1 - p): the plotting position (2 = p50, 10 = p90, 100 = p99, ...). */
  x: number;
  latencyUs: number;
}

export interface LatencyCurve {
  target: string;
  variant: string;
  count: number;
  points: CurvePoint[];
}

/** Points per decade of 1/(1-p). */
const STEPS_PER_DECADE = 20;

function decode(b64: string): hdr.Histogram {
  // Same word size as the generators' encoder (src/load/client-protocol.ts); plain JS, no wasm.
  return hdr.decodeFromCompressedBase64(b64, 64, false);
}

/** Merged curve of the runs given (one target/variant); null when none carries a histogram. */
export function latencyCurve(target: string, variant: string, runs: RunOk[]): LatencyCurve | null {
  const hs = runs.filter((r) => r.latencyHdr.length > 0).map((r) => decode(r.latencyHdr));
  const [first, ...rest] = hs;
  if (first === undefined) return null;
  for (const h of rest) {
    first.add(h);
    h.destroy();
  }
  const count = first.totalCount;
  const points: CurvePoint[] = [];
  if (count > 0) {
    // Stop where the percentile is finer than one sample: beyond 1/(1-p) = count it is the max.
    const maxX = Math.max(2, count);
    // The decades (p90, p99, ...) are on the ladder; the median (x = 2) is added so it is read exactly.
    const xs = [2];
    for (let i = 0; 10 ** (i / STEPS_PER_DECADE) <= maxX; i++) xs.push(10 ** (i / STEPS_PER_DECADE));
    xs.sort((a, b) => a - b);
    for (const x of xs) {
      const percentile = 100 * (1 - 1 / x);
      points.push({ percentile, x, latencyUs: first.getValueAtPercentile(percentile) });
    }
    points.push({ percentile: 100, x: maxX, latencyUs: first.maxValue });
  }
  first.destroy();
  return { target, variant, count, points };
}
