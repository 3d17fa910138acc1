// The call point for `load`'s validity verdict. The verdict is computed by src/verdict/ (the
// "run" part of the project, COMMON contract); until that module is on this branch, nothing is
// computed here and the summary says so, rather than a second, diverging verdict.
import type { LoadResult, LoadSpec } from "../load/types.js";
import type { WindowStats } from "../probe/sampler.js";
import type { LoadVerdict } from "./load-summary.js";

export interface VerdictOutcome {
  verdict: LoadVerdict | null;
  note: string | null;
}

export function loadVerdict(_result: LoadResult, _client: WindowStats | null, _spec: LoadSpec): VerdictOutcome {
  return { verdict: null, note: "src/verdict/ is not part of this build yet" };
}
