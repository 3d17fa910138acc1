// Files written before verdicts and per-repetition ratio records are still read: the reader derives
// what they lack from what they hold, and says nothing it cannot derive. Only for older files; a
// current file carries its verdicts and ratio records as the runner computed them.
import { pairRuns } from "./pairs.js";
import type { RatioRep, Run, RunOk, SummaryRow, Verdict, VerdictReason } from "./schema.js";
import { VERDICTS } from "./schema.js";

/** The largest share of failed or non-2xx answers a valid run may have (the contract's 1 %). */
const MAX_ERROR_SHARE = 0.01;

function legacyReasons(r: RunOk): VerdictReason[] {
  const errors = Object.values(r.errors).reduce((s, x) => s + x, 0);
  const non2xx = r.statusClasses["non-2xx"] ?? 0;
  const attempts = r.requests + errors;
  const out: VerdictReason[] = [];
  if (r.requests - non2xx <= 0) out.push({ kind: "invalid", code: "no-success", message: `no request succeeded (${errors.toLocaleString("en-US")} errors, ${non2xx.toLocaleString("en-US")} non-2xx)` });
  else if (attempts > 0 && (errors + non2xx) / attempts > MAX_ERROR_SHARE) {
    const share = ((errors + non2xx) / attempts) * 100;
    out.push({ kind: "invalid", code: "errors", message: `errors + non-2xx: ${(errors + non2xx).toLocaleString("en-US")} of ${attempts.toLocaleString("en-US")} (${share.toFixed(1)} %) > 1 %` });
  }
  if (r.client.clientBound) out.push({ kind: "clientBound", code: "client-saturated", message: `client CPU ${r.client.cpuPct.toFixed(0)}% saturated the CPUs it may use (the number describes the client)` });
  return out;
}

/** The worst verdict of the reasons, each reason once. */
export function verdictOfReasons(reasons: readonly VerdictReason[]): Verdict {
  const seen = new Set<string>();
  const unique = reasons.filter((x) => !seen.has(`${x.code}\u0000${x.message}`) && seen.add(`${x.code}\u0000${x.message}`));
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

/** perRep of an older file (bare ratios): paired again with the runs they came from. */
export function legacyRatioReps(runs: readonly Run[], of: string, to: string, values: readonly number[]): RatioRep[] {
  const pairs = pairRuns(runs, of, to);
  // The same pairing made the values; if the counts disagree the flags cannot be known.
  return values.map((ratio, i) => {
    const p = pairs.length === values.length ? pairs[i] : undefined;
    return { rep: p?.rep ?? i, ratio, clientBound: p === undefined ? false : p.of.client.clientBound || p.to.client.clientBound };
  });
}
