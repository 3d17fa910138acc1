// A ratio goal judged on its interval, not its median alone: pass when the whole interval of the
// median ratio meets the goal, fail when none of it does, undecided when the goal lies inside it.
// --reps auto repeats until no goal is undecided (src/run/stopping.ts); a goal still undecided at
// the budget is reported as such, with how many repetitions would decide it if the median held.
import { RANGES, type Interval, type RatioGoal } from "../model/index.js";

export type GoalDecision = "pass" | "fail" | "undecided";

export function goalDecision(goal: Pick<RatioGoal, "atLeast" | "atMost">, i: Interval): GoalDecision {
  const lo = goal.atLeast ?? Number.NEGATIVE_INFINITY;
  const hi = goal.atMost ?? Number.POSITIVE_INFINITY;
  if (i.lo >= lo && i.hi <= hi) return "pass";
  if (i.hi < lo || i.lo > hi) return "fail";
  return "undecided";
}

/** The nearest bound of the goal to the median: the one the interval has to clear. */
function nearestBound(goal: Pick<RatioGoal, "atLeast" | "atMost">, median: number): number {
  const bounds = [goal.atLeast, goal.atMost].filter((x): x is number => x !== undefined);
  return bounds.reduce((a, b) => (Math.abs(b - median) < Math.abs(a - median) ? b : a));
}

/**
 * Repetitions that would put the interval on one side of the goal if the median stayed where it
 * is and the interval narrowed as 1/sqrt(n) (a median's interval does, for any continuous
 * distribution); null when the median sits on the goal (no count decides it).
 */
export function repsToDecide(goal: Pick<RatioGoal, "atLeast" | "atMost">, i: Interval): number | null {
  const d = Math.abs(i.median - nearestBound(goal, i.median));
  const half = Math.max(i.median - i.lo, i.hi - i.median);
  if (d <= 1e-9 * Math.abs(i.median)) return null;
  return Math.max(i.n + 1, Math.ceil(i.n * (half / d) ** 2));
}

/** One line: why the goal is undecided and what more repetitions would need. */
export function undecidedWhy(goal: Pick<RatioGoal, "atLeast" | "atMost">, i: Interval): string {
  const g = nearestBound(goal, i.median);
  const at = `interval ${i.lo.toFixed(3)}..${i.hi.toFixed(3)} over ${i.n} repetitions holds the goal ${g}`;
  const need = repsToDecide(goal, i);
  if (need === null) return `${at}, and the median ${i.median.toFixed(3)} sits on it: no number of repetitions would decide it`;
  const count = need > RANGES.repetitions.max ? `more than ${RANGES.repetitions.max}` : `about ${need}`;
  return `${at}; ${count} repetitions would put it on one side if the median stayed at ${i.median.toFixed(3)}`;
}
