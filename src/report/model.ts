// The report's model for one hardware folder: its results grouped by scenario, newest first,
// with the derived data the tables and charts need (merged latency curves, claims, history).
// Built once here; the exporters and chart specs only read it.
import type { LoadedResult } from "../results/reader.js";
import type { Environment, Interval, RunOk, SummaryRow } from "../model/index.js";
import { buildClaimsReport, type ClaimsReport } from "../present/claims.js";
import { latencyCurve, type LatencyCurve } from "./latency.js";

export interface HistoryPoint {
  createdAt: string;
  commit: string | null;
  dirty: boolean | null;
  path: string;
  target: string;
  variant: string;
  rps: Interval | null;
  clientBound: boolean;
}

export interface ScenarioReport {
  name: string;
  /** The newest complete result of this scenario in the folder (the newest partial one when none
   *  is complete): the tables and charts describe it. */
  latest: LoadedResult;
  latestIsComplete: boolean;
  /** Every result of this scenario, oldest first. */
  history: LoadedResult[];
  summary: SummaryRow[];
  curves: LatencyCurve[];
  claims: ClaimsReport | null;
  historyPoints: HistoryPoint[];
  failed: Array<{ target: string; variant: string; rep: number; failure: string }>;
}

export interface HardwareReport {
  hardwareId: string;
  dir: string;
  /** The environment of the newest result in the folder. */
  env: Environment;
  /** Hardware ids of files in this folder that differ from the folder's (should be none). */
  strayIds: string[];
  scenarios: ScenarioReport[];
}

const byTime = (a: LoadedResult, b: LoadedResult) => a.result.createdAt.localeCompare(b.result.createdAt) || a.path.localeCompare(b.path);

function scenarioReport(name: string, results: LoadedResult[]): ScenarioReport {
  const history = [...results].sort(byTime);
  const complete = history.filter((h) => h.result.completeness === "complete");
  const latest = complete[complete.length - 1] ?? history[history.length - 1]!;
  const r = latest.result;
  const curves = r.summary
    .map((row) =>
      latencyCurve(
        row.target,
        row.variant,
        r.runs.filter((x): x is RunOk => x.status === "ok" && x.target === row.target && x.variant === row.variant),
      ),
    )
    .filter((c): c is LatencyCurve => c !== null);
  const historyPoints = history.flatMap((h) =>
    h.result.summary.map((row) => ({
      createdAt: h.result.createdAt,
      commit: h.result.git.commit,
      dirty: h.result.git.dirty,
      path: h.path,
      target: row.target,
      variant: row.variant,
      rps: row.rps,
      clientBound: row.clientBoundRuns > 0,
    })),
  );
  const failed = r.runs.flatMap((x) =>
    x.status === "failed"
      ? [{ target: x.target, variant: x.variant, rep: x.rep, failure: x.failure }]
      : x.status === "skipped"
        ? [{ target: x.target, variant: x.variant, rep: x.rep, failure: `skipped: ${x.reason}` }]
        : [],
  );
  return {
    name,
    latest,
    latestIsComplete: latest.result.completeness === "complete",
    history,
    summary: r.summary,
    curves,
    claims: buildClaimsReport(r, latest.claims),
    historyPoints,
    failed,
  };
}

export function buildHardwareReport(dir: string, results: LoadedResult[]): HardwareReport {
  if (results.length === 0) throw new RangeError(`no results in ${dir}`);
  const newest = [...results].sort(byTime)[results.length - 1]!;
  const hardwareId = newest.result.env.hardwareId;
  const byScenario = new Map<string, LoadedResult[]>();
  for (const r of results) {
    const k = r.result.scenario.name;
    byScenario.set(k, [...(byScenario.get(k) ?? []), r]);
  }
  return {
    hardwareId,
    dir,
    env: newest.result.env,
    strayIds: [...new Set(results.map((r) => r.result.env.hardwareId).filter((id) => id !== hardwareId))],
    scenarios: [...byScenario.keys()].sort().map((k) => scenarioReport(k, byScenario.get(k)!)),
  };
}
