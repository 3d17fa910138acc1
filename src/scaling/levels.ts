// A scenario with connection levels, as the ordinary run path sees it: each level is a variant of
// each target's variant (its load holding N connections at the section's total rate), and the
// warm-up is the ramp plus the hold, so the window opens with all N connections held and loaded.
import type { ResolvedVariant, Scenario } from "../scenario/load.js";
import type { Run } from "../model/index.js";
import { MAX_FAILED_SHARE } from "../verdict/thresholds.js";
import type { ScalingSection } from "../model/index.js";

/** The name a level's runs carry: c1000 for the default variant, copy-c1000 for variant "copy". */
export function levelName(variant: string, connections: number): string {
  return variant === "default" ? `c${connections}` : `${variant}-c${connections}`;
}

export function levelVariant(v: ResolvedVariant, connections: number, s: ScalingSection): ResolvedVariant {
  return { ...v, name: levelName(v.name, connections), load: { ...v.load, connections, rate: s.rate } };
}

/** The variant's environment with GOMEMLIMIT set from the cgroup's limit, for Go targets when the
 *  section asks for it (a variant's own GOMEMLIMIT wins: it was written on purpose). */
export function withGoMemLimit(v: ResolvedVariant, language: string, s: ScalingSection, targetLimitBytes: number): ResolvedVariant {
  if (s.goMemLimitShare === undefined || language !== "go" || v.env.GOMEMLIMIT !== undefined) return v;
  return { ...v, env: { ...v.env, GOMEMLIMIT: String(Math.floor(s.goMemLimitShare * targetLimitBytes)) } };
}

/** The scenario every level runs under: warm-up = ramp + hold. */
export function levelScenario(s: Scenario, section: ScalingSection): Scenario {
  return { ...s, warmupS: section.rampS + section.holdS };
}

/** Why a run shows its target could not hold its level, or null when it held it. A level is held
 *  with the share a run may lose to errors (MAX_FAILED_SHARE) missing: the descriptor count that
 *  measures it moves by a few with the verification's connections closing late, and one SYN in
 *  its retry backoff is not a target that cannot hold N. */
export function holdProblem(r: Run, connections: number): string | null {
  if (r.status === "failed") return r.failure;
  if (r.status === "skipped") return r.reason;
  const l = r.connections;
  if (l && l.held < connections * (1 - MAX_FAILED_SHARE)) {
    const overflows = l.listenOverflows ? ` (ListenOverflows +${l.listenOverflows} during the ramp)` : "";
    return `held ${l.held} of ${connections} connections when the window opened${overflows}`;
  }
  if (r.requests === 0) return "no request was answered in the window";
  if (r.errors.connect > connections * MAX_FAILED_SHARE)
    return `${r.errors.connect} connect error(s) (over ${MAX_FAILED_SHARE * 100} % of the connections)`;
  if (r.errors.timeout > r.requests * MAX_FAILED_SHARE)
    return `${r.errors.timeout} request timeout(s) (over ${MAX_FAILED_SHARE * 100} % of the answers)`;
  return null;
}
