// Validity verdicts: invalid, clientBound, noisy, each with its reasons (docs/architecture.md).
// This folder owns every rule, the way reasons combine, the row rule and every threshold.
export { count, isInvalid, pct, verdictOf } from "./combine.js";
export { networkReasons, type NetworkRunView } from "./network.js";
export { coefficientOfVariation, noiseReasons, repetitionsNeeded, spreadReasons } from "./noise.js";
export { runVerdictOf } from "./recorded.js";
export { requestFailures, requestReasons, type RequestFacts } from "./requests.js";
export { rowVerdict, rowVerdictOf } from "./row.js";
export { allotmentPct, saturationReasons, type CpuFacts } from "./saturation.js";
export { clientAllotmentOf, loadVerdict, runVerdict, type LoadFacts, type RunFacts } from "./run.js";
export * from "./thresholds.js";
export { goalDecision, repsToDecide, undecidedWhy, type GoalDecision } from "./goal.js";
