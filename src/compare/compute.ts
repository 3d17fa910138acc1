// Builds a Comparison from two result files: matches runs by (target, variant), and for every
// metric summarizes each side, tests the difference and bounds the ratio of medians; then does
// the same for the scenario's ratios between rows, over their per-repetition values. All the
// statistics of compare happen here; the exporters only format what this returns.
import type { ResultFile, RunOk } from "../results/schema.js";
import { BadInputError } from "../errors.js";
import { bootstrapRatioOfMedians, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, mannWhitneyU, medianInterval, smallestExactP } from "../stats/index.js";
import { comparisonWarnings } from "./env-diff.js";
import { METRICS } from "./metrics.js";
import { kneeTables } from "../sweep/compare.js"; // capacity sweeps (issue 15)
import type { Comparison, MetricRow, MetricTable, SampleSummary, SideInfo } from "./model.js";

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
  const row: MetricRow = { name: x.name, target: x.target, variant: x.variant, old: o, new: n, deltaPct: null, deltaLoPct: null, deltaHiPct: null, verdict: { kind: "no-data", why: "" }, regression: false, worsePct: null };
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

export function rowName(target: string, variant: string): string {
  return variant === "default" ? target : `${target}/${variant}`;
}

function splitKey(k: RowKey): { target: string; variant: string } {
  const [target = "", variant = ""] = k.split("\u0000");
  return { target, variant };
}

function metricTables(ga: Map<RowKey, RunOk[]>, gb: Map<RowKey, RunOk[]>, common: RowKey[]): MetricTable[] {
  return METRICS.map((m) => {
    const samples = (runs: RunOk[]) => runs.flatMap((r) => {
      const v = m.of(r);
      return v === null || !Number.isFinite(v) ? [] : [{ v, cb: r.client.clientBound }];
    });
    const missing = (runs: RunOk[], side: string) => (runs.length === 0 ? `no successful runs in ${side}` : `not reported by ${side}`);
    return {
      key: m.key,
      label: m.label,
      unit: m.unit,
      better: m.better,
      rows: common.map((k) => {
        const { target, variant } = splitKey(k);
        const a = ga.get(k)!;
        const b = gb.get(k)!;
        return compareRow({ name: rowName(target, variant), target, variant, better: m.better, old: samples(a), new: samples(b), oldMissing: missing(a, "old"), newMissing: missing(b, "new") });
      }),
    };
  }).filter((t) => t.rows.some((r) => r.old !== null || r.new !== null));
}

/** Repetitions in which either row of a ratio ran client-bound, in repetition order of perRep. */
function ratioClientBound(r: ResultFile, of: string, to: string): boolean[] {
  const runsOf = (key: string) => {
    const [target, variant = "default"] = key.split("/", 2);
    return r.runs.filter((x): x is RunOk => x.status === "ok" && x.target === target && x.variant === variant);
  };
  const a = runsOf(of);
  const b = runsOf(to);
  // Same pairing as the runner's (src/run/ratios.ts): by repetition, in the order of `of`'s runs.
  return a.flatMap((ra) => {
    const rb = b.find((x) => x.rep === ra.rep);
    return rb === undefined ? [] : [ra.client.clientBound || rb.client.clientBound];
  });
}

/** The scenario's ratios between rows (result.ratios), compared over their per-repetition values. */
function ratioTables(a: ResultFile, b: ResultFile): MetricTable[] {
  const key = (x: { of: string; to: string; metric: string }) => `${x.of}\u0000${x.to}\u0000${x.metric}`;
  const inB = new Map(b.ratios.map((x) => [key(x), x]));
  const byMetric = new Map<string, MetricRow[]>();
  for (const ra of a.ratios) {
    const rb = inB.get(key(ra));
    if (rb === undefined) continue;
    const def = METRICS.find((m) => m.key === ra.metric);
    const better = def?.better ?? "higher";
    const cbA = ratioClientBound(a, ra.of, ra.to);
    const cbB = ratioClientBound(b, rb.of, rb.to);
    // perRep and the pairing above come from the same runs; if they disagree, cb flags are unknown.
    const samples = (vals: number[], cb: boolean[]) => vals.filter(Number.isFinite).map((v, i) => ({ v, cb: cb.length === vals.length ? cb[i]! : false }));
    const row = compareRow({
      name: `${ra.of} / ${ra.to}`,
      target: ra.of,
      variant: ra.to,
      better,
      old: samples(ra.perRep, cbA),
      new: samples(rb.perRep, cbB),
      oldMissing: "no ratio in old",
      newMissing: "no ratio in new",
    });
    byMetric.set(ra.metric, [...(byMetric.get(ra.metric) ?? []), row]);
  }
  return [...byMetric].map(([metric, rows]) => {
    const def = METRICS.find((m) => m.key === metric);
    return { key: `ratio:${metric}`, label: `ratio of ${def?.label ?? metric}`, unit: "x" as const, better: def?.better ?? "higher", rows };
  });
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
  if (common.length === 0 && !(a.sweeps?.length && b.sweeps?.length)) { // sweeps: knees only (issue 15)
    throw new BadInputError(`mismatched result files: ${oldSide.path} and ${newSide.path} have no target/variant in common`);
  }
  const unmatched: Comparison["unmatched"] = [];
  for (const k of ga.keys()) if (!gb.has(k)) unmatched.push({ ...splitKey(k), side: "old" });
  for (const k of gb.keys()) if (!ga.has(k)) unmatched.push({ ...splitKey(k), side: "new" });

  const metrics = [...metricTables(ga, gb, common), ...ratioTables(a, b), ...kneeTables(a, b, compareRow)]; // knees: issue 15

  let gate: Comparison["gate"] = null;
  if (opts.failOnRegressionPct !== undefined) {
    const limit = opts.failOnRegressionPct;
    const tripped = metrics.flatMap((t) =>
      t.rows.filter((r) => r.regression && r.worsePct !== null && r.worsePct > limit).map((r) => ({ metric: t.label, target: r.target, variant: r.variant, name: r.name, worsePct: r.worsePct! })),
    );
    gate = { thresholdPct: limit, tripped };
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
