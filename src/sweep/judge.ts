// Judges one step against the SLOs: a step meets an SLO when its latency percentile is within
// the limit, the server kept up (achieved >= share x offered) and errors stayed under the limit.
import { latencyAt, type ErrorCounts, type LatencySummary } from "../model/index.js";
import { requestFailures } from "../verdict/index.js";
import type { SweepSettings } from "./settings.js";

export interface StepFacts {
  offeredRps: number;
  achievedRps: number;
  requests: number;
  latencyUs: LatencySummary;
  errors: ErrorCounts;
  /** Answers by status class; absent: non-2xx answers are those in errors.status. */
  statusClasses?: Record<string, number>;
}

export interface Judgement {
  errorShare: number;
  saturated: boolean;
  meets: Record<string, boolean>;
}

export function judgeStep(f: StepFacts, s: SweepSettings): Judgement {
  // The same error share as every run's verdict (src/verdict/requests.ts).
  const errorShare = requestFailures({ requests: f.requests, errors: f.errors, statusClasses: f.statusClasses ?? {} }).share;
  const saturated = f.achievedRps < s.achievedShare * f.offeredRps;
  const ok = !saturated && errorShare <= s.maxErrorShare && f.requests > 0;
  const meets: Record<string, boolean> = {};
  for (const slo of s.slos) meets[slo.label] = ok && latencyAt(f.latencyUs, slo.percentile) <= slo.limitUs;
  return { errorShare, saturated, meets };
}
