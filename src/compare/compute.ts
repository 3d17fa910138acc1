// Builds a Comparison from two result files: matches runs by (target, variant), and for every
// metric summarizes each side, tests the difference and bounds the ratio of medians; then does
// the same for the scenario's ratios between rows, over their per-repetition values. All the
// statistics of compare happen here; the exporters only format what this returns.
import { COMPARE_METRICS, metric } from "../model/index.js";
import type { RatioRep, ResultFile, RunOk } from "../model/index.js";
import { BadInputError } from "../errors.js";
import {
  bootstrapRatioOfMedians,
  BOOTSTRAP_RESAMPLES,
  BOOTSTRAP_SEED,
  mannWhitneyU,
  medianInterval,
  smallestExactP,
} from "../stats/index.js";
import { rowVerdictOf } from "../verdict/index.js";
import { INTERVAL_LEGEND } from "../present/interval.js";
import { rowName } from "../present/summary-table.js";
import { comparisonWarnings } from "./env-diff.js";
import { evaluateGate } from "./gate.js";
import { tailRows } from "./tail.js";
import type { GateSpec } from "./tail-gate.js";
import type { Comparison, MetricRow, MetricTable, RowVerdicts, SampleSummary, SideInfo } from "./model.js";
import { kneeTables } from "./knees.js";

export const ALPHA = 0.05;

export interface Side {
  path: string;
  result: ResultFile;
}

/** One repetition's value, and whether its client was the bottleneck. */
interface Sample {
  v: number;
  cb: boolean;
}

type RowKey = string; // target \0 variant

function groupOk(r: ResultFile): Map<RowKey, RunOk[]> {
  const m = new Map<RowKey, RunOk[]>();
  for (const run of r.runs) {
    const k = `${run.target}\u0000${run.variant}`;
    if (!m.has(k)) m.set(k, []);
    if (run.status === "ok") m.get(k)!.push(run);
  }
  return m;
}

function sideInfo(s: Side): SideInfo {
  return {
    path: s.path,
    scenario: s.result.scenario.name,
    hardwareId: s.result.env.hardwareId,
    commit: s.result.git.commit,
    dirty: s.result.git.dirty,
    createdAt: s.result.createdAt,
  };
}

function summarizeSamples(samples: Sample[]): SampleSummary | null {
  const iv = medianInterval(samples.map((s) => s.v));
  if (iv === null) return null;
  return { n: iv.n, median: iv.median, lo: iv.lo, hi: iv.hi, intervalReached: iv.reached, clientBound: samples.filter((s) => s.cb).length };
}

/** The fewest samples per side for which the exact two-sided test can reach p <= alpha. */
function minSamplesPerSide(alpha: number): number {
  let n = 1;
  while (smallestExactP(n, n) > alpha) n++;
  return n;
}

interface RowInput {
  name: string;
  target: string;
  variant: string;
  better: "higher" | "lower";
  old: Sample[];
  new: Sample[];
  /** Why a side has no samples, when it has none. */
  oldMissing: string;
  newMissing: string;
}

function compareRow(x: RowInput): MetricRow {
  const o = summarizeSamples(x.old);
  const n = summarizeSamples(x.new);
  const row: MetricRow = {
    name: x.name,
    target: x.target,
    variant: x.variant,
    old: o,
    new: n,
    deltaPct: null,
    deltaLoPct: null,
    deltaHiPct: null,
    verdict: { kind: "no-data", why: "" },
    regression: false,
    worsePct: null,
  };
  if (o === null || n === null) {
    row.verdict = { kind: "no-data", why: [o === null ? x.oldMissing : "", n === null ? x.newMissing : ""].filter(Boolean).join(", ") };
    return row;
  }
  const ov = x.old.map((s) => s.v);
  const nv = x.new.map((s) => s.v);
  if (o.median !== 0) row.deltaPct = (n.median / o.median - 1) * 100;
  const boot = bootstrapRatioOfMedians(ov, nv);
  if (boot !== null) {
    row.deltaLoPct = (boot.lo - 1) * 100;
    row.deltaHiPct = (boot.hi - 1) * 100;
  }
  const mw = mannWhitneyU(nv, ov)!;
  if (smallestExactP(ov.length, nv.length) > ALPHA) {
    // As benchstat: with this few samples the exact test cannot detect any change at all (ties,
    // which switch to the normal law, add no evidence, so the rule holds for them too).
    row.verdict = { kind: "too-few-samples", need: minSamplesPerSide(ALPHA) };
  } else if (mw.p <= ALPHA) {
    row.verdict = { kind: "significant", p: mw.p, method: mw.method };
  } else {
    row.verdict = { kind: "not-significant", p: mw.p, method: mw.method };
  }
  if (row.verdict.kind === "significant" && row.deltaPct !== null) {
    const worse = x.better === "higher" ? -row.deltaPct : row.deltaPct;
    row.worsePct = worse;
    row.regression = worse > 0;
  }
  return row;
}

/** Geometric mean of the ratios of medians over rows with both medians positive, as percent. */
export function geomeanChangePct(rows: readonly MetricRow[]): number | null {
  const logs = rows.flatMap((r) =>
    r.old !== null && r.new !== null && r.old.median > 0 && r.new.median > 0 ? [Math.log(r.new.median / r.old.median)] : [],
  );
  if (logs.length < 2) return null;
  return (Math.exp(logs.reduce((s, x) => s + x, 0) / logs.length) - 1) * 100;
}

function rowVerdicts(a: ResultFile, b: ResultFile, k: RowKey): RowVerdicts {
  const { target, variant } = splitKey(k);
  const side = (r: ResultFile) => {
    const row = r.summary.find((x) => x.target === target && x.variant === variant);
    return row === undefined || row.okRuns === 0 ? null : rowVerdictOf(row, r.runs);
  };
  return { name: rowName(target, variant), old: side(a), new: side(b) };
}

function splitKey(k: RowKey): { target: string; variant: string } {
  const [target = "", variant = ""] = k.split("\u0000");
  return { target, variant };
}

function metricTables(ga: Map<RowKey, RunOk[]>, gb: Map<RowKey, RunOk[]>, common: RowKey[]): MetricTable[] {
  return COMPARE_METRICS.map((m) => {
    const samples = (runs: RunOk[]) =>
      runs.flatMap((r) => {
        const v = m.of(r);
        return v === null || !Number.isFinite(v) ? [] : [{ v, cb: r.client.clientBound }];
      });
    const missing = (runs: RunOk[], side: string) => (runs.length === 0 ? `no successful runs in ${side}` : `not reported by ${side}`);
    const rows = common.map((k) => {
      const { target, variant } = splitKey(k);
      const a = ga.get(k)!;
      const b = gb.get(k)!;
      return compareRow({
        name: rowName(target, variant),
        target,
        variant,
        better: m.better,
        old: samples(a),
        new: samples(b),
        oldMissing: missing(a, "old"),
        newMissing: missing(b, "new"),
      });
    });
    return { key: m.key, label: m.label, unit: m.unit, better: m.better, rows, geomeanPct: geomeanChangePct(rows) };
  }).filter((t) => t.rows.some((r) => r.old !== null || r.new !== null));
}

/** The scenario's ratios between rows (result.ratios), compared over their per-repetition values. */
function ratioTables(a: ResultFile, b: ResultFile): MetricTable[] {
  const key = (x: { of: string; to: string; metric: string }) => `${x.of}\u0000${x.to}\u0000${x.metric}`;
  const inB = new Map(b.ratios.map((x) => [key(x), x]));
  const byMetric = new Map<string, MetricRow[]>();
  for (const ra of a.ratios) {
    const rb = inB.get(key(ra));
    if (rb === undefined) continue;
    const better = metric(ra.metric)?.better ?? "higher";
    const samples = (reps: RatioRep[]) => reps.filter((p) => Number.isFinite(p.ratio)).map((p) => ({ v: p.ratio, cb: p.clientBound }));
    const row = compareRow({
      name: `${ra.of} / ${ra.to}`,
      target: ra.of,
      variant: ra.to,
      better,
      old: samples(ra.perRep),
      new: samples(rb.perRep),
      oldMissing: "no ratio in old",
      newMissing: "no ratio in new",
    });
    byMetric.set(ra.metric, [...(byMetric.get(ra.metric) ?? []), row]);
  }
  return [...byMetric].map(([key, rows]) => {
    const def = metric(key);
    return {
      key: `ratio:${key}`,
      label: `ratio of ${def?.label ?? key}`,
      unit: "x" as const,
      better: def?.better ?? "higher",
      rows,
      geomeanPct: geomeanChangePct(rows),
    };
  });
}

export function computeComparison(
  oldSide: Side,
  newSide: Side,
  opts: { failOnRegressionPct?: number; failOnRegression?: GateSpec; notes?: string[] } = {},
): Comparison {
  const a = oldSide.result;
  const b = newSide.result;
  if (a.scenario.name !== b.scenario.name) {
    throw new BadInputError(
      `mismatched result files: ${oldSide.path} is scenario "${a.scenario.name}", ${newSide.path} is scenario "${b.scenario.name}"; compare matches runs by scenario, target and variant`,
    );
  }
  const ga = groupOk(a);
  const gb = groupOk(b);
  const common = [...ga.keys()].filter((k) => gb.has(k));
  if (common.length === 0 && !(a.sweeps?.length && b.sweeps?.length)) {
    // sweep results compare by their knees
    throw new BadInputError(`mismatched result files: ${oldSide.path} and ${newSide.path} have no target/variant in common`);
  }
  const unmatched: Comparison["unmatched"] = [];
  for (const k of ga.keys()) if (!gb.has(k)) unmatched.push({ ...splitKey(k), side: "old" });
  for (const k of gb.keys()) if (!ga.has(k)) unmatched.push({ ...splitKey(k), side: "new" });

  const metrics = [...metricTables(ga, gb, common), ...ratioTables(a, b), ...kneeTables(a, b, compareRow)];

  const threshold = opts.failOnRegression ?? opts.failOnRegressionPct;
  const gate = threshold === undefined ? null : evaluateGate(threshold, metrics, a, b);
  const tails = common.flatMap((k) => tailRows(rowName(splitKey(k).target, splitKey(k).variant), ga.get(k)!, gb.get(k)!));

  return {
    old: sideInfo(oldSide),
    new: sideInfo(newSide),
    notes: opts.notes ?? [],
    warnings: comparisonWarnings(a, b),
    unmatched,
    metrics,
    verdicts: common.map((k) => rowVerdicts(a, b, k)),
    method: {
      interval: `median over repetitions; ${INTERVAL_LEGEND}; change: ratio of medians with a percentile-bootstrap 95 % interval (${BOOTSTRAP_RESAMPLES} resamples per side, fixed seed ${BOOTSTRAP_SEED})`,
      test: `two-sided Mann-Whitney U over repetitions (exact without ties, normal approximation with tie correction otherwise); ~ when p > ${ALPHA} or too few samples (need >= ${minSamplesPerSide(ALPHA)} per side)`,
      alpha: ALPHA,
    },
    gate,
    tails,
  };
}
