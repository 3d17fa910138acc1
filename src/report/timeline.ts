// Every run's per-second timeline from its interval histograms (RunOk.intervalsHdr): answers
// and p99 of each second of the window, placed after the run's warm-up, which is marked but has
// no points (warm-up answers are not recorded). Runs without interval histograms have none.
import hdr from "hdr-histogram-js";

import type { RunOk } from "../model/index.js";

export interface TimelineSecond {
  /** Seconds since the load started (warm-up included), at the end of this second. */
  t: number;
  rps: number;
  /** null: no answer in this second. */
  p99Us: number | null;
}

export interface RunTimeline {
  target: string;
  variant: string;
  rep: number;
  warmupS: number;
  seconds: TimelineSecond[];
}

export function runTimeline(r: RunOk): RunTimeline | null {
  const hdrs = r.intervalsHdr;
  if (hdrs === undefined || hdrs.length === 0) return null;
  const seconds = hdrs.map((b64, k) => {
    const h = hdr.decodeFromCompressedBase64(b64, 64, false);
    const length = Math.min(1, Math.max(r.durationS - k, 1e-3)); // the last second may be partial
    const out = { t: r.load.warmupS + k + length, rps: h.totalCount / length, p99Us: h.totalCount > 0 ? h.getValueAtPercentile(99) : null };
    h.destroy();
    return out;
  });
  return { target: r.target, variant: r.variant, rep: r.rep, warmupS: r.load.warmupS, seconds };
}

export function runTimelines(runs: readonly RunOk[]): RunTimeline[] {
  return runs.map(runTimeline).filter((t): t is RunTimeline => t !== null);
}
