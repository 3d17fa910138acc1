// Summary rows: per target and variant, the median and interval of every summary metric of the
// registry over the repetitions that succeeded, and the row's verdict (its runs' reasons, once).
import { SUMMARY_METRICS } from "../model/index.js";
import type { Interval, Run, RunOk, SummaryRow } from "../model/index.js";
import type { SummaryMetricKey } from "../model/index.js";
import { summarize } from "../stats/index.js";
import { rowVerdict } from "../verdict/index.js";

/** Runs grouped by target and variant, in order of first appearance. */
export function groupRows(runs: readonly Run[]): Run[][] {
  const groups = new Map<string, Run[]>();
  for (const r of runs) {
    const k = `${r.target}\u0000${r.variant}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.values()];
}

function metricIntervals(ok: RunOk[]): Record<SummaryMetricKey, Interval | null> {
  const out = {} as Record<SummaryMetricKey, Interval | null>;
  for (const m of SUMMARY_METRICS) {
    const values = ok.map(m.of).filter((x): x is number => x !== null && Number.isFinite(x));
    out[m.key as SummaryMetricKey] = summarize(values);
  }
  return out;
}

export function summarizeRuns(runs: Run[]): SummaryRow[] {
  return groupRows(runs).map((all) => {
    const ok = all.filter((r): r is RunOk => r.status === "ok");
    return {
      target: all[0]!.target,
      variant: all[0]!.variant,
      okRuns: ok.length,
      failedRuns: all.filter((r) => r.status === "failed").length,
      skippedRuns: all.filter((r) => r.status === "skipped").length,
      ...metricIntervals(ok),
      clientBoundRuns: ok.filter((r) => r.client.clientBound).length,
      verdict: rowVerdict(all),
    };
  });
}
