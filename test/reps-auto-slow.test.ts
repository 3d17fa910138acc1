// --reps auto (issue 25): a repetition judged slow-phase is run again, not averaged in, and
// counted. On a real recorded result (4 repetitions of node-http): one repetition's run marked
// slow-phase leaves the summary, the stopping rule's series and the counted repetitions, stays in
// the runs, and is spent from the budget.
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import type { Run } from "../src/model/index.js";
import { parseResultFile } from "../src/results/upgrade.js";
import { countedRuns, markSlowRepetition } from "../src/run/slow-reps.js";
import { AutoRepetitions, stopInputsOf } from "../src/run/stopping.js";
import { summarizeRuns } from "../src/run/summary.js";

const FILE = join(import.meta.dirname, "fixtures", "results", "recorded", "quick-node-http-a.json");
const SLOW = { kind: "noisy" as const, code: "slow-phase", message: "machine-speed probe at the window's start on CPU 1 90 % slower" };

function runs(): Run[] {
  const r = parseResultFile(JSON.parse(readFileSync(FILE, "utf8")));
  const out = structuredClone(r.runs);
  const slow = out.find((x) => x.rep === 2)!;
  if (slow.status !== "ok") throw new Error("the fixture's rep 2 did not measure");
  slow.verdict = { verdict: "noisy", reasons: [...(slow.verdict?.reasons ?? []), SLOW] };
  return out;
}

describe("slow-phase repetitions under --reps auto", () => {
  it("marks the slow repetition's runs, keeps them, and leaves them out of the summary and the rule", () => {
    const all = runs();
    expect(markSlowRepetition(all, 1)).toBe(false);
    expect(markSlowRepetition(all, 2)).toBe(true);
    expect(all).toHaveLength(4);
    expect(all.filter((r) => r.status === "ok" && r.rerun === "slow-phase").map((r) => r.rep)).toEqual([2]);
    const counted = countedRuns(all);
    expect(counted.map((r) => r.rep)).toEqual([0, 1, 3]);
    expect(summarizeRuns(counted)[0]!.okRuns).toBe(3);
    expect(stopInputsOf({ runs: all, ratios: [] }).intervals[0]!.values).toHaveLength(3);
  });

  it("spends a slow repetition from the budget and records it, without counting it", () => {
    // A precision no three real repetitions reach, so only the budget can end it.
    const auto = new AutoRepetitions({ precision: 0.001, budget: { reps: 4 } });
    const all = runs();
    const result = { runs: countedRuns(all), ratios: [] };
    for (let i = 0; i < 3; i++) {
      expect(auto.mayStart()).toBe(true);
      auto.repDone(result);
    }
    auto.slowRepDone();
    expect(auto.mayStart()).toBe(false); // 3 counted + 1 run again = the 4 the budget allows
    const record = auto.record(false, result);
    expect(record.reps).toBe(3);
    expect(record.slowPhaseReps).toBe(1);
  });

  it("every repetition run again: nothing counted, the record judged on no data (goals undecided, no interval)", () => {
    const auto = new AutoRepetitions({ precision: 0.05, budget: { reps: 3 } });
    for (let i = 0; i < 3; i++) {
      expect(auto.mayStart()).toBe(true);
      auto.slowRepDone();
    }
    expect(auto.mayStart()).toBe(false);
    const goal = { of: "a", to: "b", metric: "rps", atLeast: 1, atMost: null, why: null, ratio: null, perRep: [], verdict: "no-data" };
    const record = auto.record(false, { runs: [], ratios: [goal] as never });
    expect(record.reps).toBe(0);
    expect(record.slowPhaseReps).toBe(3);
    expect(record.stop).toBe("budget");
    expect(record.widest).toBeNull();
    expect(record.undecided).toEqual(["a / b rps >= 1"]);
  });
});
