// A result file as every output reads it: parsed by the model's schema, then what a file written
// before verdicts and per-repetition ratio records lacks is derived from what it holds, once, here
// (never in the schema): every run's and row's verdict, every ratio's perRep as records.
import { ResultFileJson, type RatioRep, type ResultFile, type Run } from "../model/index.js";
import { rowVerdictOf, runVerdictOf } from "../verdict/index.js";
import { pairRuns } from "./pairs.js";

type Parsed = ReturnType<typeof ResultFileJson.parse>;

/** perRep of an older file (bare ratios), paired again with the runs they came from. */
function legacyRatioReps(runs: readonly Run[], of: string, to: string, values: readonly number[]): RatioRep[] {
  const pairs = pairRuns(runs, of, to);
  // The same pairing made the values; if the counts disagree the flags cannot be known.
  return values.map((ratio, i) => {
    const p = pairs.length === values.length ? pairs[i] : undefined;
    return { rep: p?.rep ?? i, ratio, clientBound: p === undefined ? false : p.of.client.clientBound || p.to.client.clientBound };
  });
}

function ratioReps(f: Parsed, x: Parsed["ratios"][number]): RatioRep[] {
  const bare = x.perRep.filter((p): p is number => typeof p === "number");
  if (bare.length === 0) return x.perRep as RatioRep[];
  return legacyRatioReps(f.runs, x.of, x.to, bare);
}

export function upgradeResult(f: Parsed): ResultFile {
  const runs = f.runs.map((r) => (r.status === "ok" ? { ...r, verdict: runVerdictOf(r) } : r));
  return {
    ...f,
    runs,
    summary: f.summary.map((row) => ({ ...row, verdict: rowVerdictOf(row, runs) })),
    ratios: f.ratios.map((x) => ({ ...x, perRep: ratioReps(f, x) })),
  };
}

/** A result file's JSON, parsed and upgraded (throws zod's error on a bad file). */
export function parseResultFile(json: unknown): ResultFile {
  return upgradeResult(ResultFileJson.parse(json));
}
