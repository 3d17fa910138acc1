// `load`'s files: --hgrm (HdrHistogram's percentile distribution, the format its plotter reads,
// values in milliseconds) and --csv (the per-second timeline of the measurement window: answers,
// and p50 / p99 where the generator records interval histograms).
import type { Histogram } from "hdr-histogram-js";

import type { IntervalHistogram } from "../load/types.js";
import { writeOutputFile } from "../io/output-file.js";
import type { LoadSummary } from "./load-summary.js";

/** Microsecond values shown in milliseconds, as HdrHistogram's tools print them by default. */
const US_PER_MS = 1000;

export function hgrmText(h: Histogram): string {
  return h.outputPercentileDistribution(5, US_PER_MS);
}

/** One row per second; with the generator's interval histograms (native), that second's p50 and
 *  p99 too (empty where no answer arrived in it). */
export function timelineCsv(s: LoadSummary, seconds?: IntervalHistogram[]): string {
  if (seconds === undefined || seconds.length !== s.perSecond.length) {
    return ["second,requests", ...s.perSecond.map((n, i) => `${i + 1},${n}`)].join("\n") + "\n";
  }
  const at = (h: Histogram, p: number) => (h.totalCount > 0 ? String(h.getValueAtPercentile(p)) : "");
  const rows = s.perSecond.map((n, i) => `${i + 1},${n},${at(seconds[i]!.histogram, 50)},${at(seconds[i]!.histogram, 99)}`);
  return ["second,requests,p50_us,p99_us", ...rows].join("\n") + "\n";
}

/** Each writer returns null, or the line that says why the file could not be written. */
export function writeHgrm(file: string, h: Histogram, what = "--hgrm"): string | null {
  return writeOutputFile(file, hgrmText(h), what);
}

export function writeTimelineCsv(file: string, s: LoadSummary, seconds?: IntervalHistogram[]): string | null {
  return writeOutputFile(file, timelineCsv(s, seconds), "--csv");
}
