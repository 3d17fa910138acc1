// The ratios a scenario asks for, as lines: "native/p16 / c-floor/p16 rps: 0.97x [0.93x..1.01x] (goal >= 0.95x) PASS".
import type { ResultFile } from "../results/schema.js";

// Three decimals below 10x, so a ratio just under its goal never prints as the goal itself.
const fmt = (x: number) => `${x.toFixed(x >= 10 ? 1 : 3)}x`;

export function ratiosSection(r: ResultFile): string | null {
  if (r.ratios.length === 0) return null;
  const lines = r.ratios.map((x) => {
    const val = x.ratio ? `${fmt(x.ratio.median)}${x.ratio.n > 1 ? ` [${fmt(x.ratio.lo)}..${fmt(x.ratio.hi)}]` : ""} over ${x.ratio.n} rep(s)` : "no data";
    const goal = x.atLeast !== null ? ` (goal >= ${fmt(x.atLeast)})` : x.atMost !== null ? ` (goal <= ${fmt(x.atMost)})` : "";
    const verdict = x.verdict === "pass" ? " PASS" : x.verdict === "fail" ? " FAIL" : "";
    const bound = x.clientBound > 0 ? ` [${x.clientBound} client-bound run(s)]` : "";
    return `  ${x.of} / ${x.to} ${x.metric}: ${val}${goal}${verdict}${bound}${x.why ? ` (${x.why})` : ""}`;
  });
  return ["Ratios (per repetition, median [95% interval]):", ...lines].join("\n");
}
