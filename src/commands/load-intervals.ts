// Interval histograms of a load run, for --histogram-log. A generator that records them puts
// `intervals` on its result (one HdrHistogram per second of the measurement window: the native
// one), grouped here into intervals of the length asked for; for one that does not (wrk,
// autocannon), the log holds one interval covering the whole window, which still merges
// exactly with other clients' logs, and the note says so.
import type { Histogram } from "hdr-histogram-js";

import type { IntervalHistogram } from "../load/types.js";
import { newLatencyHistogram } from "../load/client-protocol.js";
import type { LoadResult } from "../load/types.js";

function isHistogram(x: unknown): x is Histogram {
  return typeof x === "object" && x !== null && "totalCount" in x && "getValueAtPercentile" in x;
}

function isInterval(x: unknown): x is IntervalHistogram {
  if (typeof x !== "object" || x === null) return false;
  return (
    "startS" in x &&
    typeof x.startS === "number" &&
    "endS" in x &&
    typeof x.endS === "number" &&
    "histogram" in x &&
    isHistogram(x.histogram)
  );
}

/** Consecutive seconds added together, everyS at a time (histograms add exactly). */
export function groupIntervals(seconds: IntervalHistogram[], everyS: number): IntervalHistogram[] {
  if (everyS <= 1) return seconds;
  const out: IntervalHistogram[] = [];
  for (let i = 0; i < seconds.length; i += everyS) {
    const group = seconds.slice(i, i + everyS);
    const histogram = newLatencyHistogram();
    for (const s of group) histogram.add(s.histogram);
    out.push({ startS: group[0]!.startS, endS: group[group.length - 1]!.endS, histogram });
  }
  return out;
}

export function intervalsOf(r: LoadResult, everyS = 1): { intervals: IntervalHistogram[]; note: string | null } {
  const given: unknown = r.intervals;
  if (Array.isArray(given) && given.length > 0 && given.every(isInterval)) return { intervals: groupIntervals(given, everyS), note: null };
  return {
    intervals: [{ startS: 0, endS: r.durationS, histogram: r.latency }],
    note: `the ${r.generator} generator does not record interval histograms yet: the log holds one interval covering the ${r.durationS.toFixed(2)}s window`,
  };
}
