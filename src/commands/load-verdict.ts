// The call point for `load`'s validity verdict. The verdict is computed by src/verdict/ (the
// "run" part of the project, COMMON contract); until its request and CPU rules are on this
// branch, only --check's rule (src/verdict/mismatch.ts) is applied here, and the note says so,
// rather than a second, diverging verdict.
import type { LoadResult, LoadSpec } from "../load/types.js";
import type { WindowStats } from "../probe/sampler.js";
import { mismatchReasons } from "../verdict/mismatch.js";
import type { LoadVerdict } from "./load-summary.js";

export interface VerdictOutcome {
  verdict: LoadVerdict | null;
  note: string | null;
}

export function loadVerdict(result: LoadResult, _client: WindowStats | null, _spec: LoadSpec): VerdictOutcome {
  const reasons = result.check ? mismatchReasons(result.check.mismatched, result.requests) : [];
  if (reasons.length > 0) return { verdict: { verdict: "invalid", reasons }, note: "only --check's rule was applied: src/verdict/'s other rules are not part of this build yet" };
  return { verdict: null, note: "src/verdict/ is not part of this build yet" };
}
