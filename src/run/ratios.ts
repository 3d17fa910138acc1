// Ratios between two rows of one result, taken per repetition (the two rows ran side by side,
// alternating, inside each repetition) and summarised by their median and interval: the way
// speed targets are stated here ("native >= 0.95x c-floor"), never as absolute numbers.
import type { Interval, ResultFile, RunOk } from "../results/schema.js";
import type { RatioGoal } from "../scenario/schema.js";
import { summarize } from "../stats/index.js";

export interface RatioOutcome {
  goal: RatioGoal;
  ratio: Interval | null;
  /** Per-repetition ratios, in repetition order. */
  perRep: number[];
  verdict: "pass" | "fail" | "no-goal" | "no-data";
  /** Runs behind the ratio where the client was saturated. */
  clientBound: number;
}

function rowRuns(r: ResultFile, key: string): RunOk[] {
  const [target, variant] = key.includes("/") ? key.split("/", 2) : [key, "default"];
  return r.runs.filter((x): x is RunOk => x.status === "ok" && x.target === target && x.variant === variant);
}

function metricOf(run: RunOk, m: RatioGoal["metric"]): number | null {
  switch (m) {
    case "rps":
      return run.rps;
    case "serverReqPerCpuSec":
      return run.server.reqPerCpuSec;
    case "clientReqPerCpuSec":
      return run.client.reqPerCpuSec;
    case "p50Us": // netns (issue 16, T8)
      return run.latencyUs.p50;
    case "p99Us":
      return run.latencyUs.p99;
    case "rssPeakBytes":
      return run.server.rssPeakBytes;
  }
}

export function evaluateRatios(r: ResultFile, goals: RatioGoal[]): RatioOutcome[] {
  return goals.map((goal) => {
    const a = rowRuns(r, goal.of);
    const b = rowRuns(r, goal.to);
    const perRep: number[] = [];
    let clientBound = 0;
    for (const ra of a) {
      const rb = b.find((x) => x.rep === ra.rep);
      if (!rb) continue;
      const va = metricOf(ra, goal.metric);
      const vb = metricOf(rb, goal.metric);
      if (va === null || vb === null || vb <= 0) continue;
      perRep.push(va / vb);
      clientBound += (ra.client.clientBound ? 1 : 0) + (rb.client.clientBound ? 1 : 0);
    }
    const ratio = perRep.length > 0 ? summarize(perRep) : null;
    let verdict: RatioOutcome["verdict"] = "no-goal";
    if (!ratio) verdict = "no-data";
    else if (goal.atLeast !== undefined || goal.atMost !== undefined) {
      const ok = (goal.atLeast === undefined || ratio.median >= goal.atLeast) && (goal.atMost === undefined || ratio.median <= goal.atMost);
      verdict = ok ? "pass" : "fail";
    }
    return { goal, ratio, perRep, verdict, clientBound };
  });
}
