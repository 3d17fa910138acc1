// Interval histograms of a load run, for --histogram-log. A generator that records them puts
// `intervals` on its result (one HdrHistogram per interval of the measurement window); for one
// that does not (today: all three), the log holds one interval covering the whole window, which
// still merges exactly with other clients' logs, and the note says so.
import type { Histogram } from "hdr-histogram-js";

import type { IntervalHistogram } from "../hist/log.js";
import type { LoadResult } from "../load/types.js";

function isHistogram(x: unknown): x is Histogram {
  return typeof x === "object" && x !== null && "totalCount" in x && "getValueAtPercentile" in x;
}

function isInterval(x: unknown): x is IntervalHistogram {
  if (typeof x !== "object" || x === null) return false;
  return "startS" in x && typeof x.startS === "number" && "endS" in x && typeof x.endS === "number" && "histogram" in x && isHistogram(x.histogram);
}

export function intervalsOf(r: LoadResult): { intervals: IntervalHistogram[]; note: string | null } {
  const given: unknown = Reflect.get(r, "intervals");
  if (Array.isArray(given) && given.length > 0 && given.every(isInterval)) return { intervals: given, note: null };
  return {
    intervals: [{ startS: 0, endS: r.durationS, histogram: r.latency }],
    note: `the ${r.generator} generator does not record interval histograms yet: the log holds one interval covering the ${r.durationS.toFixed(2)}s window`,
  };
}
