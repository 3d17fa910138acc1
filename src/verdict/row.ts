// A summary row's verdict: its runs' reasons together, each kind and code once ("2 of 3 runs:
// <the first run's message>"), plus high-cv over the req/s of its runs that are not invalid. The
// runner records it; the reader derives it the same way for a file written before verdicts.
import type { Run, RunOk, SummaryRow, Verdict, VerdictReason } from "../model/index.js";
import { isInvalid, verdictOf } from "./combine.js";
import { spreadReasons } from "./noise.js";
import { runVerdictOf } from "./recorded.js";

function rowReasons(ok: readonly RunOk[]): VerdictReason[] {
  const byCode = new Map<string, VerdictReason[]>();
  for (const r of ok.flatMap((x) => runVerdictOf(x).reasons)) {
    const k = `${r.kind}\u0000${r.code}`;
    byCode.set(k, [...(byCode.get(k) ?? []), r]);
  }
  return [...byCode.values()].map((rs) => {
    const first = rs[0]!;
    if (ok.length === 1) return first;
    const same = rs.every((r) => r.message === first.message);
    return { ...first, message: `${rs.length} of ${ok.length} runs${rs.length > 1 && !same ? ", the first" : ""}: ${first.message}` };
  });
}

export function rowVerdict(runs: readonly Run[]): Verdict {
  const ok = runs.filter((r): r is RunOk => r.status === "ok");
  const usable = ok.filter((r) => !isInvalid(runVerdictOf(r))).map((r) => r.rps);
  return verdictOf([...rowReasons(ok), ...spreadReasons(usable)]);
}

/** A stored row's verdict: as recorded, or its runs' together (a file written before verdicts). */
export function rowVerdictOf(row: SummaryRow, runs: readonly Run[]): Verdict {
  return row.verdict ?? rowVerdict(runs.filter((x) => x.target === row.target && x.variant === row.variant));
}
