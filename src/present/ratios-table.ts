// The scenario's ratios between rows, as the runner evaluated them (result.ratios): each beside
// its goal with three decimals, so a ratio just under its goal never reads as the goal.
import { metric } from "../model/index.js";
import type { RatioResult } from "../model/index.js";
import { formatRatio } from "./format.js";
import { formatInterval } from "./interval.js";
import type { Table } from "./table.js";

function goalCell(r: RatioResult): string {
  const parts = [r.atLeast === null ? "" : `>= ${formatRatio(r.atLeast)}`, r.atMost === null ? "" : `<= ${formatRatio(r.atMost)}`];
  return parts.filter(Boolean).join(", ") || "-";
}

export function ratiosTable(ratios: readonly RatioResult[]): Table | null {
  if (ratios.length === 0) return null;
  return {
    header: ["ratio", "of", "goal", "measured median (interval)", "goal met", "client-bound reps", "why"],
    alignRight: [2, 3],
    wrap: [6],
    rowClass: ratios.map((r) => (r.verdict === "fail" || r.verdict === "undecided" ? "fail" : null)),
    rows: ratios.map((r) => [
      `${r.of} / ${r.to}`,
      metric(r.metric)?.label ?? r.metric,
      goalCell(r),
      formatInterval(r.ratio, formatRatio),
      r.verdict === "fail" ? "FAIL" : r.verdict === "undecided" ? "UNDECIDED" : r.verdict,
      `${r.perRep.filter((p) => p.clientBound).length} of ${r.perRep.length}`,
      [r.undecidedWhy, r.why].filter(Boolean).join("; "),
    ]),
  };
}
