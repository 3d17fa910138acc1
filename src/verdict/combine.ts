// The verdict of a set of reasons: the worst of them, invalid > clientBound > noisy > valid.
import { VERDICTS, type Verdict, type VerdictReason } from "../model/index.js";

/** A verdict's rank: its place in VERDICTS, best to worst. */
const RANK = (v: Verdict["verdict"]): number => VERDICTS.indexOf(v);

export function verdictOf(reasons: VerdictReason[]): Verdict {
  let worst: Verdict["verdict"] = "valid";
  for (const r of reasons) if (RANK(r.kind) > RANK(worst)) worst = r.kind;
  return { verdict: worst, reasons };
}

export function isInvalid(v: Verdict | undefined): boolean {
  return v?.verdict === "invalid";
}

/** "12,249" */
export function count(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** "100 %", "0.52 %" */
export function pct(share: number): string {
  const p = share * 100;
  return `${p >= 10 ? p.toFixed(0) : String(Number(p.toFixed(2)))} %`;
}
