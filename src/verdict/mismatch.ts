// --check's rule of the validity verdict: a run whose answers differ from the expected one in
// more than 1 % is not a measurement of the answer the target was verified with.
import type { VerdictReason } from "../model/index.js";
import { pct } from "./combine.js";
import { MAX_MISMATCH_SHARE } from "./thresholds.js";

export function mismatchReasons(mismatched: number, answers: number): VerdictReason[] {
  if (answers === 0 || mismatched / answers <= MAX_MISMATCH_SHARE) return [];
  const share = mismatched / answers;
  return [
    {
      kind: "invalid",
      code: "mismatch",
      message: `answers unlike the expected one: ${mismatched.toLocaleString("en-US")} of ${answers.toLocaleString("en-US")} (${pct(share)}) > ${pct(MAX_MISMATCH_SHARE)}`,
    },
  ];
}
