// The knee: for each SLO, the highest offered rate that met it (bracketed by the lowest rate above
// it that broke it); per repetition, then the median and its distribution-free interval over
// repetitions.
import type { Knee, SweepRep } from "../model/index.js";
import { summarize } from "../stats/index.js";
import { bracket, type StepView } from "./plan.js";
import type { Slo } from "../model/index.js";

type RepKnee = SweepRep["knees"][number];

export function repKnee(steps: readonly StepView[], slo: Slo): RepKnee {
  const { lo, hi } = bracket(steps, slo.label);
  if (lo === null) return { slo: slo.label, rps: null, bound: "none", firstFailRps: hi };
  return { slo: slo.label, rps: lo, bound: hi === null ? "atLeast" : "exact", firstFailRps: hi };
}

/** Lowest offered rate the server did not keep up with (a saturated client does not count). */
export function saturationRps(steps: readonly StepView[]): number | null {
  const r = steps.filter((s) => s.saturated && !s.clientBound).map((s) => s.offeredRps);
  return r.length > 0 ? Math.min(...r) : null;
}

function lowestOffered(reps: readonly SweepRep[]): number | null {
  const r = reps.flatMap((x) => x.steps.map((s) => s.offeredRps));
  return r.length > 0 ? Math.min(...r) : null;
}

export function kneeOverReps(reps: readonly SweepRep[], slo: Slo): Knee {
  const mine = reps.filter((r) => r.failure === null).map((r) => r.knees.find((k) => k.slo === slo.label)!);
  const perRep = mine.map((k) => k.rps);
  const found = perRep.filter((x): x is number => x !== null);
  const atLeast = mine.some((k) => k.bound === "atLeast");
  const bound = found.length === 0 ? "none" : atLeast ? "atLeast" : "exact";
  const base = { slo: slo.label, percentile: slo.percentile, limitUs: slo.limitUs, rps: summarize(found), perRep, bound } as const;
  if (bound === "none") {
    const low = lowestOffered(reps);
    return { ...base, note: low === null ? "no step ran" : `not met at any rate tried (the lowest was ${Math.round(low)} req/s)` };
  }
  const missing = perRep.length - found.length;
  const parts = [
    atLeast
      ? "at least: the search stopped (client saturated or rate cap) before the SLO broke"
      : "the highest offered rate that met the SLO",
    missing > 0 ? `${missing} of ${perRep.length} repetitions met it at no rate` : "",
  ];
  return { ...base, note: parts.filter(Boolean).join("; ") };
}
