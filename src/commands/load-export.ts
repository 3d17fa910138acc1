// `load`'s files: --hgrm (HdrHistogram's percentile distribution, the format its plotter reads,
// values in milliseconds) and --csv (the per-second timeline of the measurement window).
import { writeFileSync } from "node:fs";

import type { Histogram } from "hdr-histogram-js";

import type { LoadSummary } from "./load-summary.js";

/** Microsecond values shown in milliseconds, as HdrHistogram's tools print them by default. */
const US_PER_MS = 1000;

export function hgrmText(h: Histogram): string {
  return h.outputPercentileDistribution(5, US_PER_MS);
}

export function timelineCsv(s: LoadSummary): string {
  const rows = s.perSecond.map((n, i) => `${i + 1},${n}`);
  return ["second,requests", ...rows].join("\n") + "\n";
}

export function writeHgrm(file: string, h: Histogram): void {
  writeFileSync(file, hgrmText(h));
}

export function writeTimelineCsv(file: string, s: LoadSummary): void {
  writeFileSync(file, timelineCsv(s));
}
