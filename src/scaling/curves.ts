// Each target's curve over the levels, derived from the runs alone (so a result file read back
// gives the same curves): the medians of the levels it held, where and why it stopped, and for
// every curve metric the least-squares cost model and its projections past the last level.
import { metric } from "../model/index.js";
import type { Run, RunOk } from "../model/index.js";
import { median } from "../stats/index.js";
import { fitLine, project, type Point } from "./fit.js";
import { holdProblem, levelName } from "./levels.js";
import {
  CURVE_METRICS,
  FIT_METRICS,
  type Curve,
  type LinearFit,
  type Projection,
  type ScalingResult,
  type ScalingSection,
} from "../model/index.js";

/** Where the handbook's claims sit: projections are made to these counts when no level reached them. */
export const PROJECT_TO = [100_000, 1_000_000] as const;

export interface CurveEnd {
  stoppedAt: number;
  reason: string;
}

/** The first level at which the target/variant could not hold its connections, or null. */
export function curveEnd(runs: readonly Run[], target: string, variant: string, levels: readonly number[]): CurveEnd | null {
  for (const n of levels) {
    for (const r of runs) {
      if (r.target !== target || r.variant !== levelName(variant, n)) continue;
      const why = holdProblem(r, n);
      if (why) return { stoppedAt: n, reason: why };
    }
  }
  return null;
}

function curveValue(key: string, r: RunOk): number | null {
  return metric(key)?.of(r) ?? null;
}

function fitAndProject(
  key: string,
  runs: readonly { n: number; run: RunOk }[],
  projectTo: readonly number[],
): { fit: LinearFit | null; projections: Projection[] } {
  const points: Point[] = runs.flatMap(({ n, run }) => {
    const y = curveValue(key, run);
    return y === null ? [] : [{ x: n, y }];
  });
  const fit = fitLine(points);
  return { fit, projections: fit ? projectTo.map((x) => project(fit, points, x)) : [] };
}

function curveOf(runs: readonly Run[], target: string, variant: string, levels: readonly number[], projectTo: readonly number[]): Curve {
  const end = curveEnd(runs, target, variant, levels);
  const held = levels.filter((n) => end === null || n < end.stoppedAt);
  const okAt = held.flatMap((n) =>
    runs
      .filter((r): r is RunOk => r.status === "ok" && r.target === target && r.variant === levelName(variant, n))
      .map((run) => ({ n, run })),
  );
  const points = held
    .map((n) => ({ connections: n, runs: okAt.filter((x) => x.n === n).map((x) => x.run) }))
    .filter((p) => p.runs.length > 0)
    .map((p) => ({
      connections: p.connections,
      values: Object.fromEntries(CURVE_METRICS.map((k) => [k, medianOrNull(p.runs.map((r) => curveValue(k, r)))])),
    }));
  const fits: Record<string, LinearFit | null> = {};
  const projections: Record<string, Projection[]> = {};
  for (const k of FIT_METRICS) {
    const f = fitAndProject(k, okAt, projectTo);
    fits[k] = f.fit;
    projections[k] = f.projections;
  }
  return {
    target,
    variant,
    points,
    reached: points.at(-1)?.connections ?? null,
    stoppedAt: end?.stoppedAt ?? null,
    reason: end?.reason ?? null,
    fits,
    projections,
  };
}

function medianOrNull(xs: (number | null)[]): number | null {
  const v = xs.filter((x): x is number => x !== null);
  return v.length === 0 ? null : median(v);
}

/** The result's scaling section from its runs; targets and variants in the scenario's order. */
export function scalingResult(
  runs: readonly Run[],
  targets: readonly { name: string; variants: readonly { name: string }[] }[],
  section: ScalingSection,
): ScalingResult {
  const levels = [...section.connections];
  const top = Math.max(...levels);
  const projectTo = PROJECT_TO.filter((x) => x > top);
  const curves = targets.flatMap((t) => t.variants.map((v) => curveOf(runs, t.name, v.name, levels, projectTo)));
  return { levels, projectTo, claim: section.claim ?? null, curves };
}
