// A latency objective such as "p99<=10ms": a percentile of the CO-corrected latency and its limit.
// Written "p99=10ms" or "p99<=10ms" on the command line and in scenario files.
import type { LatencySummary } from "./run.js";

export const SLO_PERCENTILES = ["p50", "p90", "p99", "p999", "max"] as const;
export type SloPercentile = (typeof SLO_PERCENTILES)[number];

export interface Slo {
  percentile: SloPercentile;
  limitUs: number;
  /** The canonical spelling, used as the key in results: "p99<=10ms". */
  label: string;
}

const PERCENTILES: Record<string, SloPercentile> = { p50: "p50", p90: "p90", p99: "p99", "p99.9": "p999", p999: "p999", max: "max" };
const UNIT_US: Record<string, number> = { us: 1, µs: 1, ms: 1000, s: 1_000_000 };

function fmtLimit(us: number): string {
  if (us >= 1_000_000 && us % 1_000_000 === 0) return `${us / 1_000_000}s`;
  if (us >= 1000) return `${+(us / 1000).toFixed(3)}ms`;
  return `${us}us`;
}

/** Parses "p99=10ms" / "p99<=10ms" / "p99.9=500us" / "p99=5" (a bare number is seconds, as in
 *  every duration); returns a one-line problem instead when it is not one. */
export function parseSlo(text: string): Slo | string {
  const m = /^\s*(p50|p90|p99\.9|p999|p99|max)\s*(?:<=|=)\s*([0-9]*\.?[0-9]+)\s*(us|µs|ms|s)?\s*$/.exec(text);
  if (!m) return `"${text}" is not an SLO; expected a percentile and a limit such as p99=10ms, p99.9<=500us or max=1s`;
  const percentile = PERCENTILES[m[1]!]!;
  const limitUs = Number(m[2]) * UNIT_US[m[3] ?? "s"]!;
  if (!(limitUs > 0)) return `"${text}": the limit must be above zero`;
  return { percentile, limitUs, label: `${percentile}<=${fmtLimit(limitUs)}` };
}

export function latencyAt(l: LatencySummary, p: SloPercentile): number {
  return l[p];
}
