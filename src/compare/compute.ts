// Builds a Comparison from two result files: matches runs by (target, variant), and for every
// metric summarizes each side, tests the difference and bounds the ratio. All statistics of
// compare happen here; the exporters only format what this returns.
import type { ResultFile, RunOk } from "../results/schema.js";
import { BadInputError } from "../errors.js";
import { bootstrapRatioOfMedians, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, mannWhitneyU, medianInterval, smallestExactP } from "../stats/index.js";
import { comparisonWarnings } from "./env-diff.js";
import { METRICS, type MetricDef } from "./metrics.js";
import type { Comparison, MetricRow, SampleSummary, SideInfo } from "./model.js";

export const ALPHA = 0.05;

export interface Side {
  path: string;
  result: ResultFile;
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

function summarizeSide(runs: RunOk[], metric: MetricDef): { values: number[]; summary: SampleSummary | null } {
  const pairs = runs.map((r) => ({ v: metric.of(r), cb: r.client.clientBound })).filter((x): x is { v: number; cb: boolean } => x.v !== null && Number.isFinite(x.v));
  const values = pairs.map((p) => p.v);
  const iv = medianInterval(values);
  if (iv === null) return { values, summary: null };
  return {
    values,
    summary: { n: iv.n, median: iv.median, lo: iv.lo, hi: iv.hi, intervalReached: iv.reached, clientBound: pairs.filter((p) => p.cb).length },
  };
}

/** The fewest samples per side for which the exact two-sided test can reach p <= alpha. */
function minSamplesPerSide(alpha: number): number {
  let n = 1;
  while (smallestExactP(n, n) > alpha) n++;
  return n;
}

function compareRow(metric: MetricDef, target: string, variant: string, oldRuns: RunOk[], newRuns: RunOk[]): MetricRow {
  const o = summarizeSide(oldRuns, metric);
  const n = summarizeSide(newRuns, metric);
  const row: MetricRow = { target, variant, old: o.summary, new: n.summary, deltaPct: null, deltaLoPct: null, deltaHiPct: null, verdict: { kind: "no-data", why: "" }, regression: false, worsePct: null };
  if (o.summary === null || n.summary === null) {
    const by = o.summary === null && n.summary === null ? "either side" : o.summary === null ? "old" : "new";
    row.verdict = { kind: "no-data", why: `not reported by ${by}` };
    return row;
  }
  if (o.summary.median !== 0) row.deltaPct = (n.summary.median / o.summary.median - 1) * 100;
  const boot = bootstrapRatioOfMedians(o.values, n.values);
  if (boot !== null) {
    row.deltaLoPct = (boot.lo - 1) * 100;
    row.deltaHiPct = (boot.hi - 1) * 100;
  }
  const need = minSamplesPerSide(ALPHA);
  const mw = mannWhitneyU(n.values, o.values);
  if (mw === null) {
    row.verdict = { kind: "no-data", why: "no samples" };
  } else if (smallestExactP(o.values.length, n.values.length) > ALPHA) {
    // As benchstat: with this few samples the exact test cannot detect any change at all (ties,
    // which switch to the normal law, add no evidence, so the rule holds for them too).
    row.verdict = { kind: "too-few-samples", need };
  } else if (mw.p <= ALPHA) {
    row.verdict = { kind: "significant", p: mw.p, method: mw.method };
  } else {
    row.verdict = { kind: "not-significant", p: mw.p, method: mw.method };
  }
  if (row.verdict.kind === "significant" && row.deltaPct !== null) {
    const worse = metric.better === "higher" ? -row.deltaPct : row.deltaPct;
    row.worsePct = worse;
    row.regression = worse > 0;
  }
  return row;
}

export function computeComparison(oldSide: Side, newSide: Side, opts: { failOnRegressionPct?: number; notes?: string[] } = {}): Comparison {
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
  if (common.length === 0) {
    throw new BadInputError(`mismatched result files: ${oldSide.path} and ${newSide.path} have no target/variant in common`);
  }
  const unmatched: Comparison["unmatched"] = [];
  for (const k of ga.keys()) if (!gb.has(k)) unmatched.push({ ...splitKey(k), side: "old" });
  for (const k of gb.keys()) if (!ga.has(k)) unmatched.push({ ...splitKey(k), side: "new" });

  const metrics = METRICS.map((m) => ({
    key: m.key,
    label: m.label,
    unit: m.unit,
    better: m.better,
    rows: common.map((k) => {
      const { target, variant } = splitKey(k);
      return compareRow(m, target, variant, ga.get(k)!, gb.get(k)!);
    }),
  })).filter((t) => t.rows.some((r) => r.old !== null || r.new !== null));

  let gate: Comparison["gate"] = null;
  if (opts.failOnRegressionPct !== undefined) {
    const tripped = metrics.flatMap((t) =>
      t.rows
        .filter((r) => r.regression && r.worsePct !== null && r.worsePct > opts.failOnRegressionPct!)
        .map((r) => ({ metric: t.label, target: r.target, variant: r.variant, worsePct: r.worsePct! })),
    );
    gate = { thresholdPct: opts.failOnRegressionPct, tripped };
  }

  return {
    old: sideInfo(oldSide),
    new: sideInfo(newSide),
    notes: opts.notes ?? [],
    warnings: comparisonWarnings(a, b),
    unmatched,
    metrics,
    method: {
      interval: `median over repetitions with a distribution-free 95 % interval from order statistics (min..max below 6 samples); change: ratio of medians with a percentile-bootstrap 95 % interval (${BOOTSTRAP_RESAMPLES} resamples per side, fixed seed ${BOOTSTRAP_SEED})`,
      test: `two-sided Mann-Whitney U over repetitions (exact without ties, normal approximation with tie correction otherwise); ~ when p > ${ALPHA} or too few samples (need >= ${minSamplesPerSide(ALPHA)} per side)`,
      alpha: ALPHA,
    },
    gate,
  };
}

function splitKey(k: RowKey): { target: string; variant: string } {
  const [target = "", variant = ""] = k.split("\u0000");
  return { target, variant };
}
