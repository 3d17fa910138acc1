// --fail-on-regression: fails on a significant change for the worse beyond the threshold, and on
// failed or invalid runs the new result has where the old had none; says when rows had too few
// repetitions for any change to reach significance, so the gate could not trip there.
import { runVerdictOf } from "../verdict/index.js";
import type { ResultFile } from "../model/index.js";
import { rowName } from "../present/summary-table.js";
import type { GateResult, MetricTable } from "./model.js";
import { describeGateSpec, thresholdFor, type GateSpec } from "./tail-gate.js";

/** Per row: runs that failed or whose verdict is invalid. */
function badRuns(r: ResultFile): Map<string, number> {
  const out = new Map<string, number>();
  for (const run of r.runs) {
    const bad = run.status === "failed" || (run.status === "ok" && runVerdictOf(run).verdict === "invalid");
    const k = rowName(run.target, run.variant);
    out.set(k, (out.get(k) ?? 0) + (bad ? 1 : 0));
  }
  return out;
}

function newFailures(a: ResultFile, b: ResultFile): string[] {
  const before = badRuns(a);
  return [...badRuns(b)]
    .filter(([k, n]) => n > (before.get(k) ?? 0))
    .map(([k, n]) => `${k}: ${n} failed or invalid run${n > 1 ? "s" : ""} in new, ${before.get(k) ?? 0} in old`);
}

export function evaluateGate(threshold: number | GateSpec, metrics: MetricTable[], a: ResultFile, b: ResultFile): GateResult {
  const spec: GateSpec = typeof threshold === "number" ? { allPct: threshold, byMetric: {} } : threshold;
  const tripped = metrics.flatMap((t) => {
    const limit = thresholdFor(spec, t.key);
    if (limit === null) return [];
    return t.rows
      .filter((r) => r.regression && r.worsePct !== null && r.worsePct > limit)
      .map((r) => ({ metric: t.label, target: r.target, variant: r.variant, name: r.name, worsePct: r.worsePct! }));
  });
  const cannotTrip = [
    ...new Set(
      metrics.flatMap((t) =>
        t.rows.filter((r) => r.verdict.kind === "too-few-samples").map((r) => `${r.name} (n=${r.old?.n ?? 0}+${r.new?.n ?? 0})`),
      ),
    ),
  ];
  const failures = newFailures(a, b);
  const status = tripped.length > 0 || failures.length > 0 ? "failed" : cannotTrip.length > 0 ? "inconclusive" : "passed";
  const thresholdPct = spec.allPct ?? Math.min(...Object.values(spec.byMetric));
  return { thresholdPct, thresholds: describeGateSpec(spec), tripped, newFailures: failures, cannotTrip, status };
}
