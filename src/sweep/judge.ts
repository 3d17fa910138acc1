// Judges one step against the SLOs: a step meets an SLO when its latency percentile is within
// the limit, the server kept up (achieved >= share x offered) and errors stayed under the limit.
import type { ErrorCountsSchema, LatencySummary } from "../results/schema.js";
import type { z } from "zod";
import type { SweepSettings } from "./settings.js";
import { latencyAt } from "./slo.js";

export interface StepFacts {
  offeredRps: number;
  achievedRps: number;
  requests: number;
  latencyUs: LatencySummary;
  errors: z.infer<typeof ErrorCountsSchema>;
}

export interface Judgement {
  errorShare: number;
  saturated: boolean;
  meets: Record<string, boolean>;
}

export function judgeStep(f: StepFacts, s: SweepSettings): Judgement {
  const e = f.errors;
  const failed = e.connect + e.reset + e.timeout + e.badResponse;
  // `requests` counts answers of any status; non-2xx answers are in errors.status.
  const attempts = f.requests + failed;
  const errorShare = attempts > 0 ? (failed + e.status) / attempts : 1;
  const saturated = f.achievedRps < s.achievedShare * f.offeredRps;
  const ok = !saturated && errorShare <= s.maxErrorShare && f.requests > 0;
  const meets: Record<string, boolean> = {};
  for (const slo of s.slos) meets[slo.label] = ok && latencyAt(f.latencyUs, slo.percentile) <= slo.limitUs;
  return { errorShare, saturated, meets };
}
