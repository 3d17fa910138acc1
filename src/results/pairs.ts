// The runs behind a ratio between two rows: for every repetition in which both rows succeeded,
// the pair of runs (they ran side by side, alternating, inside that repetition). One pairing, used
// by the runner's ratios and by the reader when it upgrades an older file.
import type { Run, RunOk } from "../model/index.js";

/** "target/variant", or "target" for its default variant. */
export function rowRunsOf(runs: readonly Run[], key: string): RunOk[] {
  const [target, variant = "default"] = key.split("/", 2);
  return runs.filter((x): x is RunOk => x.status === "ok" && x.target === target && x.variant === variant);
}

export interface RunPair {
  rep: number;
  of: RunOk;
  to: RunOk;
}

/** Pairs by repetition, in the order of `of`'s runs. */
export function pairRuns(runs: readonly Run[], of: string, to: string): RunPair[] {
  const b = rowRunsOf(runs, to);
  return rowRunsOf(runs, of).flatMap((ra) => {
    const rb = b.find((x) => x.rep === ra.rep);
    return rb === undefined ? [] : [{ rep: ra.rep, of: ra, to: rb }];
  });
}
