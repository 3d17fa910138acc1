// Validity verdicts: invalid, clientBound, noisy, each with its reasons (docs/architecture.md).
export { isInvalid, verdictOf } from "./combine.js";
export { coefficientOfVariation, noiseReasons, repetitionsNeeded, spreadReasons } from "./noise.js";
export { requestReasons, type RequestFacts } from "./requests.js";
export { allotmentPct, saturationReasons, type CpuFacts } from "./saturation.js";
export { clientAllotmentOf, deriveRunVerdict, loadVerdict, rowVerdict, runVerdict, type LoadFacts, type RunFacts } from "./run.js";
export * from "./thresholds.js";
