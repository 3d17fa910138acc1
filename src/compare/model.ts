// What a comparison is, as data: computed once by compute.ts, then serialized by an exporter.
// Exporters only format these fields; they compute nothing.
import type { ProfileComparison } from "./profile.js";
import type { Unit } from "../model/index.js";
import type { Verdict as RunVerdict } from "../model/index.js";
import type { TailRow } from "./tail.js";

export interface SideInfo {
  path: string;
  scenario: string;
  hardwareId: string;
  commit: string | null;
  dirty: boolean | null;
  createdAt: string;
}

export interface SampleSummary {
  n: number;
  median: number;
  /** Interval of the median from order statistics: a 95 % CI from 6 samples, min..max below. */
  lo: number;
  hi: number;
  intervalReached: boolean;
  /** Repetitions of this row that were client-bound (the number then describes the client). */
  clientBound: number;
}

export type Verdict =
  | { kind: "significant"; p: number; method: "exact" | "normal" }
  | { kind: "not-significant"; p: number; method: "exact" | "normal" }
  | { kind: "too-few-samples"; need: number }
  | { kind: "no-data"; why: string };

export interface MetricRow {
  /** What the row is, as printed: "gnet", "nethttp/gogc150", or "native / c-floor" for a ratio. */
  name: string;
  target: string;
  variant: string;
  old: SampleSummary | null;
  new: SampleSummary | null;
  /** (new median - old median) / old median, in percent; null when undefined (old median 0). */
  deltaPct: number | null;
  /** Bootstrap 95 % interval of the ratio of medians, as percent change. */
  deltaLoPct: number | null;
  deltaHiPct: number | null;
  verdict: Verdict;
  /** Significant and in the worse direction for this metric. */
  regression: boolean;
  /** The change in the worse direction, in percent (positive = worse), when significant. */
  worsePct: number | null;
}

export interface MetricTable {
  /** A metric key, or "ratio:<metric>" for the scenario's ratios between rows. */
  key: string;
  label: string;
  unit: Unit;
  better: "higher" | "lower";
  rows: MetricRow[];
  /** Geometric mean of new/old medians over the rows with both (as benchstat), as percent change;
   *  null when fewer than two rows have both. */
  geomeanPct: number | null;
}

/** A row's validity verdict on each side (null: the row is absent or has no successful run there). */
export interface RowVerdicts {
  name: string;
  old: RunVerdict | null;
  new: RunVerdict | null;
}

export interface GateResult {
  thresholdPct: number;
  /** The thresholds as asked ("5%", "p99 5%"); absent in comparisons written before. */
  thresholds?: string;
  tripped: Array<{ metric: string; name: string; target: string; variant: string; worsePct: number }>;
  /** Rows whose new side has failed or invalid runs that the old side did not have. */
  newFailures: string[];
  /** Compared rows where too few repetitions let no change reach significance: the gate cannot trip there. */
  cannotTrip: string[];
  /** "failed" when anything tripped or failed; "inconclusive" when nothing could trip; else "passed". */
  status: "passed" | "failed" | "inconclusive";
}

export interface Comparison {
  old: SideInfo;
  new: SideInfo;
  /** Why this pair was chosen (for --git), in words; empty for explicit files. */
  notes: string[];
  /** Differences in hardware, environment or scenario settings, and client-bound runs. */
  warnings: string[];
  /** Rows present on one side only. */
  unmatched: Array<{ target: string; variant: string; side: "old" | "new" }>;
  metrics: MetricTable[];
  verdicts: RowVerdicts[];
  method: {
    interval: string;
    test: string;
    alpha: number;
  };
  gate: GateResult | null;
  /** Rows profiled on both sides (bench --profile): the functions whose share changed most. */
  profiles?: ProfileComparison[];
  /** p99 and p99.9 of each row's merged histograms, side by side (src/compare/tail.ts). */
  tails?: TailRow[];
}
