// The verdict of a stored run: as recorded, or, for a file written before verdicts, the reasons
// its counts show by today's request rules and a saturated client as that file recorded it. The
// reader (src/results/upgrade.ts) fills it in once; nothing after it re-derives.
import type { RunOk, Verdict, VerdictReason } from "../model/index.js";
import { verdictOf } from "./combine.js";
import { requestReasons } from "./requests.js";

function legacyReasons(r: RunOk): VerdictReason[] {
  const out = requestReasons({ requests: r.requests, errors: r.errors, statusClasses: r.statusClasses, rps: r.rps, rate: r.load.rate });
  if (r.client.clientBound)
    out.push({
      kind: "clientBound",
      code: "client-saturated",
      message: `client CPU ${r.client.cpuPct.toFixed(0)}% saturated the CPUs it may use (the number describes the client)`,
    });
  return out;
}

export function runVerdictOf(r: RunOk): Verdict {
  return r.verdict ?? verdictOf(legacyReasons(r));
}
