// Files written before verdicts and per-repetition ratio records are still read: the reader derives
// what they lack from what they hold, and says nothing it cannot derive. Only for older files; a
// current file carries its verdicts and ratio records as the runner computed them.
import { requestReasons } from "../verdict/requests.js";
import { pairRuns } from "./pairs.js";
import type { RatioRep, Run, RunOk, VerdictReason } from "./schema.js";

/** The reasons an older run's counts show, by today's request rules (src/verdict/), and a
 *  saturated client as that file recorded it. The runner of today records more. */
export function legacyReasons(r: RunOk): VerdictReason[] {
  const out = requestReasons({ requests: r.requests, errors: r.errors, statusClasses: r.statusClasses, rps: r.rps, rate: r.load.rate });
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
