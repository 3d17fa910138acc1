// Files written before verdicts and per-repetition ratio records are still read: the reader derives
// what they lack from what they hold, and says nothing it cannot derive. Only for older files; a
// current file carries its verdicts and ratio records as the runner computed them.
import { pairRuns } from "./pairs.js";
import type { RatioRep, Run, RunOk, VerdictReason } from "./schema.js";

/** The largest share of failed or non-2xx answers a valid run may have (the contract's 1 %). */
const MAX_ERROR_SHARE = 0.01;

/** The reasons an older run's counts show: too many errors or non-2xx answers, no success, a
 *  saturated client. The runner of today records more (src/verdict/). */
export function legacyReasons(r: RunOk): VerdictReason[] {
  const errors = Object.values(r.errors).reduce((s, x) => s + x, 0);
  const non2xx = r.statusClasses["non-2xx"] ?? 0;
  const attempts = r.requests + errors;
  const out: VerdictReason[] = [];
  if (r.requests - non2xx <= 0) out.push({ kind: "invalid", code: "no-success", message: `no request succeeded (${errors.toLocaleString("en-US")} errors, ${non2xx.toLocaleString("en-US")} non-2xx)` });
  else if (attempts > 0 && (errors + non2xx) / attempts > MAX_ERROR_SHARE) {
    const share = ((errors + non2xx) / attempts) * 100;
    out.push({ kind: "invalid", code: "errors", message: `errors + non-2xx: ${(errors + non2xx).toLocaleString("en-US")} of ${attempts.toLocaleString("en-US")} (${share.toFixed(1)} %) > 1 %` });
  }
  if (r.client.clientBound) out.push({ kind: "clientBound", code: "client-saturated", message: `client CPU ${r.client.cpuPct.toFixed(0)}% saturated the CPUs it may use (the number describes the client)` });
  return out;
}

/** perRep of an older file (bare ratios): paired again with the runs they came from. */
export function legacyRatioReps(runs: readonly Run[], of: string, to: string, values: readonly number[]): RatioRep[] {
  const pairs = pairRuns(runs, of, to);
  // The same pairing made the values; if the counts disagree the flags cannot be known.
  return values.map((ratio, i) => {
    const p = pairs.length === values.length ? pairs[i] : undefined;
    return { rep: p?.rep ?? i, ratio, clientBound: p === undefined ? false : p.of.client.clientBound || p.to.client.clientBound };
  });
}
