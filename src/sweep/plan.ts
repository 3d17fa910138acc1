// The search, as a pure function of the steps so far: climb geometrically from a low rate until
// a step meets no SLO (or the client saturates, or errors appear, or the cap is reached), step
// down (twice at most) while an SLO was met at no rate, then bisect (geometrically) each SLO's bracket until
// it is narrower than the resolution.
import type { SweepStep } from "../model/index.js";
import type { SweepSettings } from "./settings.js";

export type StepView = Pick<SweepStep, "offeredRps" | "phase" | "meets" | "clientBound" | "saturated" | "errorShare">;

export type Next = { rps: number; phase: SweepStep["phase"] } | { stop: string };

const MAX_DESCENTS = 2;

const fmt = (r: number) => `${Math.round(r)} req/s`;

/**
 * The highest rate that met the SLO, and the lowest rate above it (client not saturated) that
 * broke it. A break below the highest meeting rate is noise on a contended machine (the curve is
 * not monotonic there); it does not erase a knee found above it (see verdict.ts).
 */
export function bracket(steps: readonly StepView[], label: string): { lo: number | null; hi: number | null } {
  let lo: number | null = null;
  for (const s of steps) if (s.meets[label] && (lo === null || s.offeredRps > lo)) lo = s.offeredRps;
  let hi: number | null = null;
  for (const s of steps) {
    if (!s.meets[label] && !s.clientBound && (lo === null || s.offeredRps > lo) && (hi === null || s.offeredRps < hi)) hi = s.offeredRps;
  }
  return { lo, hi };
}

/** Rates below the knee that broke the SLO (client not saturated): the curve was not monotonic. */
export function breaksBelow(steps: readonly StepView[], label: string): number[] {
  const { lo } = bracket(steps, label);
  if (lo === null) return [];
  return steps.filter((s) => !s.meets[label] && !s.clientBound && s.offeredRps < lo).map((s) => s.offeredRps);
}

/** Why the ascent ended at this step, or null when it may go on. */
export function ascentEnd(last: StepView, s: SweepSettings): string | null {
  const r = fmt(last.offeredRps);
  if (last.clientBound) return `the client saturated at ${r} (the knee is at least the highest rate that met the SLO)`;
  if (last.errorShare > s.maxErrorShare) return `errors at ${r}: ${(last.errorShare * 100).toFixed(1)} % > ${s.maxErrorShare * 100} %`;
  if (!Object.values(last.meets).some(Boolean)) {
    return last.saturated ? `saturated at ${r}: achieved < ${s.achievedShare * 100} % of offered` : `every SLO broken at ${r}`;
  }
  if (last.offeredRps * s.factor > s.maxRps) return `the rate cap (${fmt(s.maxRps)}) was reached with the SLO still met`;
  return null;
}

export function nextStep(steps: readonly StepView[], s: SweepSettings): Next {
  if (steps.length === 0) return { rps: s.startRps, phase: "ascent" };
  if (steps.length >= s.maxSteps) return { stop: `the step cap (${s.maxSteps}) was reached` };
  const climbing = steps.filter((x) => x.phase === "ascent");
  const top = climbing[climbing.length - 1]!;
  const end = ascentEnd(top, s);
  if (end === null) return { rps: top.offeredRps * s.factor, phase: "ascent" };

  const lowest = steps.reduce((a, b) => (b.offeredRps < a.offeredRps ? b : a));
  const descents = steps.filter((x) => x.phase === "descent").length;
  // An SLO that no step met yet (the tightest, usually): look below the lowest rate tried.
  const unmet = s.slos.some((slo) => steps.every((x) => !x.meets[slo.label]));
  if (unmet && !lowest.clientBound && descents < MAX_DESCENTS) {
    return { rps: lowest.offeredRps / (s.factor * s.factor), phase: "descent" };
  }
  // Tightest SLO first: its bracket is lowest, and its steps inform the looser ones.
  for (const slo of [...s.slos].sort((a, b) => a.limitUs - b.limitUs)) {
    const { lo, hi } = bracket(steps, slo.label);
    if (lo !== null && hi !== null && hi / lo > 1 + s.resolution) return { rps: Math.sqrt(lo * hi), phase: "bisect" };
  }
  return { stop: end };
}
