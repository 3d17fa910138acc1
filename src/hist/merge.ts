// Merging interval logs of several clients (or hosts) exactly: histograms add, percentiles do
// not. The result is one distribution for the whole span and one timeline of per-second slots
// aligned on wall-clock time from the earliest interval of any log.
import type { Histogram } from "hdr-histogram-js";

import { newLatencyHistogram } from "../load/client-protocol.js";
import type { ReadInterval } from "./log.js";

export interface TimelineSlot {
  /** Seconds from the earliest interval's start. */
  second: number;
  histogram: Histogram;
}

export interface Merged {
  total: Histogram;
  timeline: TimelineSlot[];
  intervals: number;
}

export function mergeIntervals(logs: ReadInterval[][]): Merged {
  const total = newLatencyHistogram();
  const all = logs.flat();
  const t0 = all.length > 0 ? Math.min(...all.map((i) => i.startMs)) : 0;
  const slots = new Map<number, Histogram>();
  for (const i of all) {
    total.add(i.histogram);
    const second = Math.floor((i.startMs - t0) / 1000 + 1e-6);
    const slot = slots.get(second) ?? newLatencyHistogram();
    slot.add(i.histogram);
    slots.set(second, slot);
  }
  const timeline = [...slots.entries()].sort((a, b) => a[0] - b[0]).map(([second, histogram]) => ({ second, histogram }));
  return { total, timeline, intervals: all.length };
}
