// Verdicts as every output reads them: a run's or a row's recorded verdict, or, for a file written
// before verdicts, the one its counts show (src/results/legacy.ts); and how the reasons of several
// runs combine into a row's: each reason once, the worst kind wins.
import { legacyReasons } from "./legacy.js";
import type { Run, RunOk, SummaryRow, Verdict, VerdictReason } from "./schema.js";
import { VERDICTS } from "./schema.js";

/** The worst verdict of the reasons, each reason once. */
export function verdictOfReasons(reasons: readonly VerdictReason[]): Verdict {
  const unique = [...new Map(reasons.map((x) => [`${x.kind}\u0000${x.code}\u0000${x.message}`, x])).values()];
  const rank = (v: Verdict["verdict"]) => VERDICTS.indexOf(v);
  const worst = unique.reduce<Verdict["verdict"]>((w, x) => (rank(x.kind) > rank(w) ? x.kind : w), "valid");
  return { verdict: worst, reasons: unique };
}

/** A run's verdict: as recorded, or derived from an older file's counts. */
export function runVerdict(r: RunOk): Verdict {
  return r.verdict ?? verdictOfReasons(legacyReasons(r));
}

/** The runs' reasons together, one per kind and code: "2 of 5 runs: <the first run's message>". */
export function rowReasons(ok: readonly RunOk[]): VerdictReason[] {
  const byCode = new Map<string, VerdictReason[]>();
  for (const r of ok.flatMap((x) => runVerdict(x).reasons)) {
    const k = `${r.kind}\u0000${r.code}`;
    byCode.set(k, [...(byCode.get(k) ?? []), r]);
  }
  return [...byCode.values()].map((rs) => {
    const first = rs[0]!;
    if (rs.length === ok.length && rs.every((r) => r.message === first.message)) return first;
    return { ...first, message: `${rs.length} of ${ok.length} runs${rs.length > 1 ? ", the first" : ""}: ${first.message}` };
  });
}

/** A summary row's verdict: as recorded, or its runs' verdicts together. */
export function rowVerdict(row: SummaryRow, runs: readonly Run[]): Verdict {
  if (row.verdict !== undefined) return row.verdict;
  return verdictOfReasons(rowReasons(runs.filter((x): x is RunOk => x.status === "ok" && x.target === row.target && x.variant === row.variant)));
}
