// --reps auto (issue 25): a repetition in which any run was judged slow-phase (the machine-speed
// probe at a window's edge, src/verdict/slow-phase.ts) is run again, not averaged in. Its runs
// stay in the result, marked `rerun`, and the stopping record counts such repetitions; the
// summary, the ratios and the stopping rule read the counted runs only.
import type { Run } from "../model/index.js";

const isSlow = (r: Run) => r.status === "ok" && r.verdict?.reasons.some((x) => x.code === "slow-phase") === true;

/** Marks repetition `rep`'s ok runs as re-run when one of them ran in a slow phase; whether it did. */
export function markSlowRepetition(runs: Run[], rep: number): boolean {
  const ofRep = runs.filter((r) => r.rep === rep);
  if (!ofRep.some(isSlow)) return false;
  for (const r of ofRep) if (r.status === "ok") r.rerun = "slow-phase";
  return true;
}

/** The runs that count: all but those of repetitions run again. */
export function countedRuns(runs: readonly Run[]): Run[] {
  return runs.filter((r) => r.status !== "ok" || r.rerun === undefined);
}
