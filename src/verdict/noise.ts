// noisy: the machine was not the run's alone (steal, other processes on the judged CPUs), or the
// repetitions disagree more than the number's precision claims.
import type { CpuNoise, VerdictReason } from "../model/index.js";
import { pct } from "./combine.js";
import { MAX_CV, MAX_FOREIGN_PCT, MAX_STEAL_PCT, TARGET_HALF_WIDTH } from "./thresholds.js";

export function noiseReasons(n: CpuNoise | null): VerdictReason[] {
  if (!n) return [];
  const out: VerdictReason[] = [];
  const where = `CPU${n.cpus.length === 1 ? "" : "s"} ${n.cpus.join(",")}`;
  if (n.stealPct > MAX_STEAL_PCT) {
    out.push({ kind: "noisy", code: "cpu-steal", message: `CPU steal ${n.stealPct.toFixed(1)} % on ${where} > ${MAX_STEAL_PCT} %` });
  }
  if (n.foreignPct > MAX_FOREIGN_PCT) {
    out.push({
      kind: "noisy",
      code: "foreign-cpu",
      message: `other processes used ${n.foreignPct.toFixed(1)} % of ${where} > ${MAX_FOREIGN_PCT} %`,
    });
  }
  return out;
}

/** Repetitions needed for a 95 % interval of the mean within ±TARGET_HALF_WIDTH, given this CV. */
export function repetitionsNeeded(cv: number): number {
  return Math.max(2, Math.ceil(((1.96 * cv) / TARGET_HALF_WIDTH) ** 2));
}

export function coefficientOfVariation(xs: number[]): number | null {
  if (xs.length < 2) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (mean <= 0) return null;
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1);
  return Math.sqrt(variance) / mean;
}

export function spreadReasons(rps: number[]): VerdictReason[] {
  const cv = coefficientOfVariation(rps);
  if (cv === null || cv <= MAX_CV) return [];
  return [
    {
      kind: "noisy",
      code: "high-cv",
      message: `req/s varies by ${pct(cv)} (coefficient of variation) over ${rps.length} repetitions > ${pct(MAX_CV)}; about ${repetitionsNeeded(cv)} repetitions would give a ±${pct(TARGET_HALF_WIDTH)} 95 % interval`,
    },
  ];
}
