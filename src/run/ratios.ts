// Ratios between two rows of one result, taken per repetition (the two rows ran side by side,
// alternating, inside each repetition) and summarised by their median and interval: the way
// speed targets are stated here ("native >= 0.95x c-floor"), never as absolute numbers.
import { metric } from "../model/index.js";
import { pairRuns } from "../results/pairs.js";
import type { Interval, RatioRep, RatioVerdict, ResultFile } from "../model/index.js";
import type { RatioGoal } from "../model/index.js";
import { decisionInterval, summarize } from "../stats/index.js";
import { goalDecision, undecidedWhy } from "../verdict/index.js";

export interface RatioOutcome {
  goal: RatioGoal;
  ratio: Interval | null;
  /** Per repetition, in repetition order, with whether either row's run was client-bound. */
  perRep: RatioRep[];
  verdict: RatioVerdict;
  /** undecided: the interval beside the goal and what more repetitions would need; else null. */
  undecidedWhy: string | null;
  /** byInterval: the interval the verdict rests on (src/stats/t-interval.ts); else null. */
  decidedOn: Interval | null;
  /** Runs behind the ratio where the client was saturated. */
  clientBound: number;
}

function meetsGoal(goal: RatioGoal, median: number): boolean {
  return (goal.atLeast === undefined || median >= goal.atLeast) && (goal.atMost === undefined || median <= goal.atMost);
}

/** With `byInterval` (--reps auto) a goal is judged on the median's whole interval (pass, fail or
 *  undecided, src/verdict/goal.ts); otherwise on the median, as a fixed repetition count always was. */
export function evaluateRatios(r: Pick<ResultFile, "runs">, goals: RatioGoal[], byInterval = false): RatioOutcome[] {
  return goals.map((goal) => {
    const of = metric(goal.metric)!.of;
    const perRep: RatioRep[] = [];
    let clientBound = 0;
    for (const p of pairRuns(r.runs, goal.of, goal.to)) {
      const va = of(p.of);
      const vb = of(p.to);
      if (va === null || vb === null || vb <= 0) continue;
      perRep.push({ rep: p.rep, ratio: va / vb, clientBound: p.of.client.clientBound || p.to.client.clientBound });
      clientBound += (p.of.client.clientBound ? 1 : 0) + (p.to.client.clientBound ? 1 : 0);
    }
    const ratio = summarize(perRep.map((x) => x.ratio));
    const decidedOn = byInterval ? decisionInterval(perRep.map((x) => x.ratio)) : null;
    const hasGoal = goal.atLeast !== undefined || goal.atMost !== undefined;
    const verdict: RatioVerdict =
      ratio === null
        ? "no-data"
        : !hasGoal
          ? "no-goal"
          : byInterval
            ? decidedOn === null
              ? "undecided"
              : goalDecision(goal, decidedOn)
            : meetsGoal(goal, ratio.median)
              ? "pass"
              : "fail";
    const why = verdict !== "undecided" ? null : decidedOn === null ? "one repetition: no interval" : undecidedWhy(goal, decidedOn);
    return { goal, ratio, perRep, verdict, undecidedWhy: why, decidedOn, clientBound };
  });
}
