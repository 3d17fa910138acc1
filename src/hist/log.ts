// HdrHistogram interval logs (the format of HdrHistogram's HistogramLogWriter, read by its
// HistogramLogProcessor and plotter): one compressed histogram per interval, timestamps in
// seconds relative to the log's StartTime, values in microseconds (max column in ms).
import hdr from "hdr-histogram-js";
import type { Histogram } from "hdr-histogram-js";

import type { IntervalHistogram } from "../load/types.js";

/** Microseconds shown as milliseconds in the max column, as HdrHistogram's tools expect. */
const US_PER_MS = 1000;
/** The bucket counts width the histograms are decoded with (they are encoded from 64-bit ones). */
const BIT_BUCKET_SIZE = 64;

export function intervalLogText(intervals: IntervalHistogram[], startTimeMs: number, comment: string): string {
  let text = "";
  const w = new hdr.HistogramLogWriter((s) => (text += s));
  w.outputLogFormatVersion();
  w.outputComment(comment);
  w.outputStartTime(startTimeMs);
  w.outputLegend();
  for (const i of intervals) w.outputIntervalHistogram(i.histogram, i.startS, i.endS, US_PER_MS);
  return text;
}

/** A log's intervals as absolute times (ms since the epoch); --from/--to are seconds from its start. */
export interface ReadInterval {
  startMs: number;
  endMs: number;
  histogram: Histogram;
}

export function readIntervalLog(text: string, fromS = 0, toS = Number.MAX_VALUE): ReadInterval[] {
  const reader = new hdr.HistogramLogReader(text, BIT_BUCKET_SIZE, false);
  const out: ReadInterval[] = [];
  for (let h = reader.nextIntervalHistogram(fromS, toS); h !== null; h = reader.nextIntervalHistogram(fromS, toS)) {
    out.push({ startMs: h.startTimeStampMsec, endMs: h.endTimeStampMsec, histogram: h });
  }
  return out;
}
