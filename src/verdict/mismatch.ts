// --check's rule of the validity verdict: a run whose answers differ from the expected one in
// more than 1 % is not a measurement of the answer the target was verified with.
import type { VerdictReason } from "../results/schema.js";

export const MAX_MISMATCH_SHARE = 0.01;

export function mismatchReasons(mismatched: number, answers: number): VerdictReason[] {
  if (answers === 0 || mismatched / answers <= MAX_MISMATCH_SHARE) return [];
  const pct = ((100 * mismatched) / answers).toFixed(2);
  return [{ kind: "invalid", code: "mismatch", message: `answers unlike the expected one: ${mismatched.toLocaleString("en-US")} of ${answers.toLocaleString("en-US")} (${pct} %) > 1 %` }];
}
