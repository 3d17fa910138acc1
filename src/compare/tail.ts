// The tail across two results from the merged histograms: each side's recorded latency
// histograms (every repetition's latencyHdr) merged, p99 and p99.9 read from the merge, and
// whether the two differ beyond the histograms' resolution: HdrHistogram keeps 3 significant
// digits, so each value stands for a range of equivalent values; two values whose ranges overlap
// cannot be told apart by these histograms. The per-repetition test (Mann-Whitney over each
// repetition's p99 and p99.9, src/compare/compute.ts) says whether a change is more than the
// repetitions' noise; this says whether it is more than the recording's resolution.
import type * as hdr from "hdr-histogram-js";

import { decodeHistogram, newLatencyHistogram } from "../load/client-protocol.js";
import type { RunOk } from "../model/index.js";

export const TAIL_PERCENTILES = [99, 99.9] as const;

export interface TailSide {
  /** Answers in the merged histogram. */
  count: number;
  valueUs: number;
  /** The range of values this histogram cannot tell from valueUs. */
  lowUs: number;
  highUs: number;
}

export interface TailRow {
  name: string;
  percentile: (typeof TAIL_PERCENTILES)[number];
  old: TailSide;
  new: TailSide;
  /** (new - old) / old, in percent. */
  changePct: number;
  /** The two values' equivalent ranges do not overlap. */
  beyondResolution: boolean;
}

/** One side's repetitions' histograms merged (null: none recorded). */
function merged(runs: RunOk[]): hdr.Histogram | null {
  const withHist = runs.filter((r) => typeof r.latencyHdr === "string" && r.latencyHdr.length > 0);
  if (withHist.length === 0) return null;
  const h = newLatencyHistogram();
  for (const r of withHist) h.add(decodeHistogram(r.latencyHdr));
  return h;
}

function sideAt(h: hdr.Histogram, p: number): TailSide {
  const v = h.getValueAtPercentile(p);
  const js = h as unknown as { lowestEquivalentValue(v: number): number; highestEquivalentValue(v: number): number };
  return { count: h.totalCount, valueUs: v, lowUs: js.lowestEquivalentValue(v), highUs: js.highestEquivalentValue(v) };
}

/** Tail rows for one compared row (name as printed), from each side's ok runs. */
export function tailRows(name: string, oldRuns: RunOk[], newRuns: RunOk[]): TailRow[] {
  const a = merged(oldRuns);
  const b = merged(newRuns);
  if (a === null || b === null || a.totalCount === 0 || b.totalCount === 0) return [];
  return TAIL_PERCENTILES.map((percentile) => {
    const o = sideAt(a, percentile);
    const n = sideAt(b, percentile);
    return {
      name,
      percentile,
      old: o,
      new: n,
      changePct: o.valueUs > 0 ? (n.valueUs / o.valueUs - 1) * 100 : 0,
      beyondResolution: n.lowUs > o.highUs || o.lowUs > n.highUs,
    };
  });
}
