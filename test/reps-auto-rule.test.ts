// The --reps auto stopping rule (src/run/stopping.ts) on synthetic paired sequences: after each
// repetition the rule sees the per-repetition series (A, B, A/B) and stops when every goal is
// decided and every decision interval is within the precision, or when the budget is spent.
import { describe, expect, it } from "vitest";

import { budgetAllows, judgeStop, type StopJudgement } from "../src/run/stopping.js";
import { mulberry32 } from "../src/stats/prng.js";
import { decisionInterval, medianInterval, tQuantile } from "../src/stats/index.js";
import { goalDecision, repsToDecide, undecidedWhy } from "../src/verdict/index.js";
import { Stopping, type RatioGoal } from "../src/model/index.js";
import { stoppingLine } from "../src/ui/stopping-line.js";

const STOPPING_BASE = {
  precision: 0.05,
  budget: { reps: 4 },
  reps: 1,
  stop: "budget",
  coverage: 0,
  undecided: [],
  elapsedS: 12,
  slowPhaseReps: 3,
} as const;

/** Paired repetitions: A and B of each rep, each its true value times (1 +- noise), seeded. */
function pairs(trueA: number, trueB: number, noise: number, seed: number): () => [number, number] {
  const rand = mulberry32(seed);
  return () => [trueA * (1 + noise * (2 * rand() - 1)), trueB * (1 + noise * (2 * rand() - 1))];
}

/** Repetitions until the rule stops or the budget (a count) is spent; what it saw last. */
function runUntilKnown(
  next: () => [number, number],
  goal: Pick<RatioGoal, "atLeast" | "atMost"> | null,
  precision: number,
  budget: number,
) {
  const a: number[] = [];
  const b: number[] = [];
  let j: StopJudgement = { stop: null, widest: null, undecided: [] };
  while (budgetAllows({ reps: budget }, a.length, 0)) {
    const [x, y] = next();
    a.push(x);
    b.push(y);
    const ratios = a.map((v, i) => v / b[i]!);
    j = judgeStop(
      {
        goals: goal ? [{ label: "A / B req/s", goal, values: ratios }] : [],
        intervals: [
          { label: "A req/s", values: a },
          { label: "B req/s", values: b },
          { label: "A / B req/s", values: ratios },
        ],
      },
      precision,
      a.length,
    );
    if (j.stop) break;
  }
  const ratio = decisionInterval(a.map((v, i) => v / b[i]!))!;
  return { reps: a.length, judgement: j, ratio, verdict: goal ? goalDecision(goal, ratio) : null };
}

describe("--reps auto stopping rule", () => {
  it("stops at 3 repetitions on a clear difference, the goal passed", () => {
    const r = runUntilKnown(pairs(200_000, 100_000, 0.01, 1), { atLeast: 1.5 }, 0.05, 20);
    expect(r.reps).toBe(3);
    expect(r.judgement.stop).toBe("decided");
    expect(r.verdict).toBe("pass");
    expect(r.judgement.widest!.halfWidth).toBeLessThanOrEqual(0.05);
  });

  it("never stops before 3 repetitions, however tight the first two", () => {
    const r = runUntilKnown(() => [2, 1], { atLeast: 1.5 }, 0.05, 20);
    expect(r.reps).toBe(3);
  });

  it("runs an equal pair against a goal at their ratio to the budget, undecided, and says why", () => {
    const r = runUntilKnown(pairs(100_000, 100_000, 0.04, 2), { atLeast: 1.0 }, 0.05, 12);
    expect(r.reps).toBe(12);
    expect(r.judgement.stop).toBeNull(); // the runner records this as "budget"
    expect(r.judgement.undecided).toEqual(["A / B req/s"]);
    expect(r.verdict).toBe("undecided");
    expect(r.ratio.lo).toBeLessThan(1);
    expect(r.ratio.hi).toBeGreaterThan(1);
    expect(undecidedWhy({ atLeast: 1.0 }, r.ratio)).toMatch(/holds the goal 1; /);
  });

  it("needs more repetitions on a noisy pair, then decides", () => {
    const clear = runUntilKnown(pairs(130_000, 100_000, 0.02, 3), { atLeast: 1.1 }, 0.2, 40);
    const noisy = runUntilKnown(pairs(130_000, 100_000, 0.25, 3), { atLeast: 1.1 }, 0.2, 40);
    expect(clear.reps).toBe(3);
    expect(noisy.reps).toBeGreaterThan(3);
    expect(noisy.reps).toBeLessThan(40);
    expect(noisy.judgement.stop).toBe("decided");
    expect(noisy.verdict).toBe("pass");
  });

  it("a goal decided but an interval too wide keeps repeating", () => {
    // The ratio is far above its goal from the start; B alone varies by +-30 %: not precise at 5 %.
    const r = runUntilKnown(pairs(1_000_000, 100_000, 0.3, 4), { atLeast: 2 }, 0.05, 8);
    expect(r.verdict).toBe("pass");
    expect(r.reps).toBe(8);
    expect(r.judgement.stop).toBeNull();
    expect(r.judgement.widest!.halfWidth).toBeGreaterThan(0.05);
  });

  it("without goals, stops as precise", () => {
    const r = runUntilKnown(pairs(100_000, 90_000, 0.01, 5), null, 0.05, 20);
    expect(r.reps).toBe(3);
    expect(r.judgement.stop).toBe("precise");
  });

  it("an interval not there yet (one counted repetition) is unbounded: null in the record, which reads back", () => {
    // As when slow-phase repetitions spent the budget: one counted value per series.
    const j = judgeStop({ goals: [], intervals: [{ label: "a req/s", values: [100] }] }, 0.05, 1);
    expect(j.stop).toBeNull();
    expect(j.widest).toEqual({ label: "a req/s", halfWidth: null });
    const record = { ...STOPPING_BASE, widest: j.widest };
    expect(Stopping.parse(JSON.parse(JSON.stringify(record))).widest).toEqual({ label: "a req/s", halfWidth: null });
    expect(stoppingLine({ stopping: Stopping.parse(record) })).toContain("widest interval unbounded (no interval yet) (a req/s)");
  });

  it("a time budget refuses a repetition that would end past it, never the first three", () => {
    expect(budgetAllows({ seconds: 10 }, 2, 50)).toBe(true);
    expect(budgetAllows({ seconds: 100 }, 3, 60)).toBe(true); // 60 + 20 <= 100
    expect(budgetAllows({ seconds: 100 }, 3, 80)).toBe(false); // 80 + 26.7 > 100
    expect(budgetAllows({ reps: 5 }, 4, 0)).toBe(true);
    expect(budgetAllows({ reps: 5 }, 5, 0)).toBe(false);
  });

  it("below 6 repetitions decides on the wider of min..max and a t-interval of the logs; from 6 on, on order statistics", () => {
    // Known two-sided 95 % Student-t quantiles (df 2, 4, 10).
    expect(tQuantile(0.95, 2)).toBeCloseTo(4.303, 3);
    expect(tQuantile(0.95, 4)).toBeCloseTo(2.776, 3);
    expect(tQuantile(0.95, 10)).toBeCloseTo(2.228, 3);
    // Three ratios all above 1.1, as 1 in 8 triples are when the truth is 1.1: not decided.
    const three = decisionInterval([1.12, 1.3, 1.18])!;
    expect(three.lo).toBeLessThan(1.1);
    expect(goalDecision({ atLeast: 1.1 }, three)).toBe("undecided");
    const six = [1.12, 1.3, 1.18, 1.25, 1.15, 1.2];
    const order = medianInterval(six)!;
    expect(order.reached).toBe(true);
    expect(decisionInterval(six)).toEqual({ median: order.median, lo: order.lo, hi: order.hi, n: 6 });
    expect(decisionInterval([1.2])).toBeNull();
  });

  it("says how many repetitions would decide, and when none would", () => {
    const i = { median: 1.02, lo: 0.98, hi: 1.06, n: 5 };
    expect(goalDecision({ atLeast: 1.0 }, i)).toBe("undecided");
    expect(repsToDecide({ atLeast: 1.0 }, i)).toBe(Math.ceil(5 * (0.04 / 0.02) ** 2));
    expect(repsToDecide({ atLeast: 1.02 }, i)).toBeNull();
    expect(goalDecision({ atMost: 0.9 }, i)).toBe("fail");
    expect(goalDecision({ atLeast: 0.9, atMost: 1.1 }, i)).toBe("pass");
  });
});
