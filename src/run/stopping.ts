// --reps auto: repeat until the answer is known. After every complete repetition (each row's run
// of it done, alternating as always), the result so far is judged: the run stops when every ratio
// goal is decided (its interval entirely on one side of the goal, src/verdict/goal.ts) and every
// judged interval is within the precision (relative half-width), with at least MIN_AUTO_REPS
// repetitions; else when the budget is spent. Each interval is the decision interval of its
// per-repetition values (src/stats/t-interval.ts: the median's order-statistic interval, widened
// to a Student-t interval of the logs below 6 repetitions, where order statistics cannot reach
// 95 %); the result stores it beside each ratio (decidedOn). Judged: every row's req/s (rows with
// a measured run) and every ratio between rows.
import { MIN_AUTO_REPS, type AutoReps, type Budget, type Interval, type RatioGoal, type ResultFile } from "../model/index.js";
import { countedRuns } from "./slow-reps.js";
import { groupRows } from "./summary.js";
import type { StopReason, Stopping } from "../model/index.js";
import { decisionInterval, medianCoverage } from "../stats/index.js";
import { goalDecision } from "../verdict/index.js";

export interface StopInputs {
  /** The scenario's ratio goals (a ratio with atLeast or atMost) and their per-repetition ratios. */
  goals: { label: string; goal: Pick<RatioGoal, "atLeast" | "atMost">; values: number[] }[];
  /** Every per-repetition series whose interval's precision is asked. */
  intervals: { label: string; values: number[] }[];
}

export interface StopJudgement {
  stop: Extract<StopReason, "decided" | "precise"> | null;
  widest: Stopping["widest"];
  undecided: string[];
}

/** (hi - lo) / 2 relative to the median; a zero median with any spread is unbounded. */
export function relativeHalfWidth(i: Interval): number {
  const half = (i.hi - i.lo) / 2;
  if (i.median === 0) return half === 0 ? 0 : Number.POSITIVE_INFINITY;
  return half / Math.abs(i.median);
}

export function judgeStop(inputs: StopInputs, precision: number, reps: number): StopJudgement {
  const undecided = inputs.goals
    .filter((g) => {
      const i = decisionInterval(g.values);
      return i === null || goalDecision(g.goal, i) === "undecided";
    })
    .map((g) => g.label);
  let widest: { label: string; halfWidth: number } | null = null;
  for (const x of inputs.intervals) {
    const i = decisionInterval(x.values);
    const halfWidth = i === null ? Number.POSITIVE_INFINITY : relativeHalfWidth(i);
    if (widest === null || halfWidth > widest.halfWidth) widest = { label: x.label, halfWidth };
  }
  const precise = widest === null || widest.halfWidth <= precision;
  const known = reps >= MIN_AUTO_REPS && undecided.length === 0 && precise;
  // JSON has no infinity: an unbounded width is stored as null (it would be written as null and
  // then fail to read back as a number).
  const stored = widest && { label: widest.label, halfWidth: Number.isFinite(widest.halfWidth) ? widest.halfWidth : null };
  return { stop: known ? (inputs.goals.length > 0 ? "decided" : "precise") : null, widest: stored, undecided };
}

const rowLabel = (r: { target: string; variant: string }) => `${r.target}${r.variant === "default" ? "" : `/${r.variant}`}`;

/** The judged series of a result so far: each row's req/s over its measured runs, each ratio's perRep. */
export function stopInputsOf(r: Pick<ResultFile, "runs" | "ratios">): StopInputs {
  const ratioLabel = (x: ResultFile["ratios"][number]) =>
    [`${x.of} / ${x.to} ${x.metric}`, x.atLeast === null ? "" : `>= ${x.atLeast}`, x.atMost === null ? "" : `<= ${x.atMost}`]
      .filter(Boolean)
      .join(" ");
  const withGoal = r.ratios.filter((x) => x.atLeast !== null || x.atMost !== null);
  const rows = groupRows(countedRuns(r.runs))
    .map((runs) => ({ label: `${rowLabel(runs[0]!)} req/s`, values: runs.flatMap((x) => (x.status === "ok" ? [x.rps] : [])) }))
    .filter((x) => x.values.length > 0);
  return {
    goals: withGoal.map((x) => ({
      label: ratioLabel(x),
      goal: { atLeast: x.atLeast ?? undefined, atMost: x.atMost ?? undefined },
      values: x.perRep.map((p) => p.ratio),
    })),
    intervals: [
      ...rows,
      ...r.ratios.filter((x) => x.perRep.length > 0).map((x) => ({ label: ratioLabel(x), values: x.perRep.map((p) => p.ratio) })),
    ],
  };
}

/** Whether the budget allows starting repetition number `done` + 1: a time budget refuses a
 *  repetition that would end past it at the pace so far; the first MIN_AUTO_REPS always run. */
export function budgetAllows(b: Budget, done: number, elapsedS: number): boolean {
  if (done < MIN_AUTO_REPS) return true;
  if ("reps" in b) return done < b.reps;
  return elapsedS + elapsedS / done <= b.seconds;
}

/** The runner's side: asked before each repetition and after it; keeps the record for the result. */
export class AutoRepetitions {
  private readonly t0 = performance.now();
  private done = 0;
  /** Repetitions judged slow-phase: run again, spent from the budget, not judged. */
  private slow = 0;
  private last: StopJudgement = { stop: null, widest: null, undecided: [] };

  constructor(private readonly auto: AutoReps) {}

  private elapsedS(): number {
    return (performance.now() - this.t0) / 1000;
  }

  mayStart(): boolean {
    return this.last.stop === null && budgetAllows(this.auto.budget, this.done + this.slow, this.elapsedS());
  }

  /** After a repetition judged slow-phase (src/run/slow-reps.ts): counted, not judged. */
  slowRepDone(): void {
    this.slow++;
  }

  /** After a complete repetition, with the result so far: true when the answer is known. */
  repDone(result: Pick<ResultFile, "runs" | "ratios">): boolean {
    this.done++;
    this.last = judgeStop(stopInputsOf(result), this.auto.precision, this.done);
    return this.last.stop !== null;
  }

  /** The record, judged on the final result: the same judgement as after the last counted
   *  repetition, and one at all when none counted (every repetition run again). */
  record(interrupted: boolean, result: Pick<ResultFile, "runs" | "ratios">): Stopping {
    const last = judgeStop(stopInputsOf(result), this.auto.precision, this.done);
    return {
      precision: this.auto.precision,
      budget: this.auto.budget,
      reps: this.done,
      stop: interrupted ? "interrupted" : (this.last.stop ?? "budget"),
      widest: last.widest,
      coverage: medianCoverage(this.done),
      undecided: last.undecided,
      elapsedS: this.elapsedS(),
      ...(this.slow > 0 ? { slowPhaseReps: this.slow } : {}),
    };
  }
}
