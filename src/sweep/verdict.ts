// A sweep's verdict, in the shape of the shared validity verdict: invalid when a repetition
// could not run, when errors appear even at the lowest rate, or when no step met any SLO;
// clientBound when a knee is only a lower bound because the client saturated; noisy when the
// machine was shared or the curve breaks below its knee.
import type { CpuNoise, Knee, SweepRep, SweepResult } from "../model/index.js";
import { verdictOf } from "../verdict/combine.js";
import { noiseReasons } from "../verdict/noise.js";
import { median } from "../stats/index.js";
import { breaksBelow } from "./plan.js";
import type { SweepSettings } from "./settings.js";

/** The machine shared during the steps, judged as every run is (src/verdict/noise.ts) on the
 *  median step: steal, and other processes' CPU time with the run's own subtracted. (Linux PSI
 *  pressure, recorded per step, counts the run's own threads waiting too, so it judges nothing.) */
function sharedMachineReasons(reps: readonly SweepRep[]): Reason[] {
  const noise = reps.flatMap((r) => r.steps.map((x) => x.cpuNoise).filter((x): x is CpuNoise => x !== null));
  if (noise.length === 0) return [];
  const steal = median(noise.map((n) => n.stealPct));
  const foreign = median(noise.map((n) => n.foreignPct));
  const reasons = noiseReasons({ cpus: noise[0]!.cpus, stealPct: steal ?? 0, foreignPct: foreign ?? 0 });
  return reasons.map((r) => ({ ...r, message: `${r.message} (median over the steps)` }));
}

type Verdict = SweepResult["verdict"];
type Reason = Verdict["reasons"][number];

function lowestStepErrors(rep: SweepRep, s: SweepSettings): Reason | null {
  if (rep.steps.length === 0) return null;
  const low = rep.steps.reduce((a, b) => (b.offeredRps < a.offeredRps ? b : a));
  if (low.errorShare <= s.maxErrorShare) return null;
  return {
    kind: "invalid",
    code: "errors",
    message: `rep ${rep.rep}: errors + non-2xx ${(low.errorShare * 100).toFixed(1)} % > ${s.maxErrorShare * 100} % even at the lowest rate (${Math.round(low.offeredRps)} req/s)`,
  };
}

export function sweepVerdict(reps: readonly SweepRep[], knees: readonly Knee[], s: SweepSettings): Verdict {
  const reasons: Reason[] = [];
  for (const r of reps) {
    if (r.failure !== null) reasons.push({ kind: "invalid", code: "failed", message: `rep ${r.rep}: ${r.failure}` });
    const e = lowestStepErrors(r, s);
    if (e) reasons.push(e);
  }
  if (reps.length > 0 && knees.every((k) => k.bound === "none")) {
    reasons.push({
      kind: "invalid",
      code: "no-knee",
      message: `no step met any SLO (${knees.map((k) => `${k.slo}: ${k.note}`).join("; ")})`,
    });
  }
  const clientBound = reps.flatMap((r) =>
    r.steps
      .filter((x) => x.clientBound)
      .map((x) => `rep ${r.rep} at ${Math.round(x.offeredRps)} req/s (client CPU ${x.clientCpuPct.toFixed(0)} %)`),
  );
  if (clientBound.length > 0 && knees.some((k) => k.bound === "atLeast")) {
    reasons.push({
      kind: "clientBound",
      code: "client-saturated",
      message: `the client saturated: ${clientBound.join(", ")}; the knee is a lower bound`,
    });
  }
  reasons.push(...sharedMachineReasons(reps));
  const nonMonotonic = reps.flatMap((r) =>
    knees.flatMap((k) => breaksBelow(r.steps, k.slo).map((x) => `rep ${r.rep} broke ${k.slo} at ${Math.round(x)} req/s`)),
  );
  if (nonMonotonic.length > 0) {
    reasons.push({
      kind: "noisy",
      code: "non-monotonic",
      message: `${nonMonotonic.join(", ")}, below a rate that met it: the knee is the highest rate that met it`,
    });
  }
  return verdictOf(reasons);
}
