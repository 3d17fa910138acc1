// `bench --reps auto` on real processes: the C floor against itself (two variants, alternating),
// short runs, a budget of 3 to 4 repetitions. Whatever the machine's noise decides, the result
// must say how many repetitions ran and why they stopped, and agree with itself: a stop
// "decided" has every goal passed or failed and every interval within the precision; a stop
// "budget" ran the whole budget; an undecided goal makes the exit code 1.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { parseResultFile } from "../src/results/upgrade.js";
import { runCli } from "./helpers/cli.js";
import { markedPids } from "./helpers/procs.js";

const SCENARIO = join(import.meta.dirname, "fixtures", "scenarios", "reps-auto.json");
const results = mkdtempSync(join(tmpdir(), "evbench-reps-auto-"));
afterAll(() => rmSync(results, { recursive: true, force: true }));

describe("bench --reps auto", () => {
  it("records the repetitions run and why they stopped, in the JSON and the text", async () => {
    const mark = `reps-auto-${process.pid}`;
    // The command line's budget and precision over the scenario's (3reps, 50%).
    const r = await runCli(["bench", SCENARIO, "--reps", "auto", "--budget", "4reps", "--precision", "40%", "--json", "-q"], {
      EVBENCH_RESULTS_DIR: results,
      EVBENCH_RUN_MARK: mark,
    }).done;
    const result = parseResultFile(JSON.parse(r.stdout));
    const s = result.stopping!;
    expect(s, r.stderr).toBeDefined();
    expect(result.scenario.autoReps).toEqual({ precision: 0.4, budget: { reps: 4 } });
    expect(s.precision).toBe(0.4);
    // On a busy machine a repetition judged slow-phase is run again: its runs stay in the result,
    // marked, and spend the budget, so the counted repetitions may be fewer than 3.
    const slow = s.slowPhaseReps ?? 0;
    expect(s.reps + slow).toBeGreaterThanOrEqual(3);
    expect(s.reps + slow).toBeLessThanOrEqual(4);
    expect(result.runs).toHaveLength(2 * (s.reps + slow));
    expect(result.runs.filter((x) => x.status === "ok" && x.rerun === "slow-phase")).toHaveLength(2 * slow);
    expect(["decided", "budget"]).toContain(s.stop);
    const goals = result.ratios;
    expect(goals).toHaveLength(2);
    for (const g of goals) {
      if (s.reps >= 2) expect(g.decidedOn!.n).toBe(s.reps);
      // Every repetition re-run: no counted pair, no ratio.
      expect(s.reps === 0 ? ["no-data"] : ["pass", "fail", "undecided"]).toContain(g.verdict);
      expect(g.verdict === "undecided").toBe(typeof g.undecidedWhy === "string");
    }
    const undecided = goals.filter((g) => g.verdict === "undecided" || g.verdict === "no-data");
    expect(s.undecided).toHaveLength(undecided.length);
    const halfWidth = s.widest?.halfWidth ?? Number.POSITIVE_INFINITY; // null: unbounded, or nothing counted
    if (s.stop === "decided") {
      expect(undecided).toEqual([]);
      expect(halfWidth).toBeLessThanOrEqual(0.4);
    } else {
      expect(s.reps + slow).toBe(4);
      expect(undecided.length > 0 || halfWidth > 0.4).toBe(true);
    }
    expect(r.code, r.stderr).toBe(undecided.length > 0 ? 1 : 0);
    if (s.reps === 0) expect(r.stderr).toContain("no repetition counted: every one ran in a slow phase");
    const rerun = slow > 0 ? ` + ${slow} run again (slow-phase: kept, not counted)` : "";
    expect(r.stderr).toContain(`repetitions: ${s.reps}${rerun} (auto: ±40.0 % asked, budget 4 reps`);
    expect(r.stderr).toContain(`stopped: ${s.stop}:`);
    if (goals.some((g) => g.verdict === "undecided")) expect(r.stderr).toMatch(/UNDECIDED[\s\S]*goal\(s\) undecided at the budget/);
    expect(JSON.parse(readFileSync(/result: (.+)/.exec(r.stderr)![1]!, "utf8")).stopping).toEqual(s);
    expect(markedPids(`EVBENCH_RUN_MARK=${mark}`)).toEqual([]);
  }, 120_000);

  it("refuses --precision or --budget without auto, and a budget under 3 repetitions, before any run", async () => {
    const cases = [
      [["bench", "quick", "--precision", "3%"], /^evbench: --precision applies to --reps auto only .*add --reps auto$/],
      [["bench", "quick", "--reps", "auto", "--budget", "2reps"], /^evbench: --budget "2reps": a whole number of repetitions from 3/],
      [["bench", "quick", "--reps", "auto", "--budget", "ten"], /^evbench: --budget "ten": expected seconds or a repetition count/],
      [["bench", "quick", "--reps", "auto", "--precision", "80%"], /^evbench: --precision "80%": a percentage from 0.1% to 50%/],
      [["bench", "quick", "--reps", "often"], /^evbench: --reps "often": expected a whole number/],
    ] as const;
    for (const [args, message] of cases) {
      const r = await runCli([...args], { EVBENCH_RESULTS_DIR: results }).done;
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(message);
    }
  }, 60_000);
});
