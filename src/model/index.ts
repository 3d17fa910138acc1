// The model: the schemas of scenario and result files, the shared enums and the metric registry.
// It is the bottom layer: it imports nothing of the harness outside this folder, and the rest of
// the harness imports it from here.
export * from "./answer-sample.js";
export * from "./enums.js";
export * from "./metrics.js";
export * from "./network.js";
export * from "./result.js";
export * from "./run.js";
export * from "./scenario.js";
export * from "./slo.js";
export * from "./sweep.js";
export * from "./topology.js";
export * from "./units.js";
export * from "./user-target.js";
export * from "./verdict.js";
export * from "./ranges.js";
export * from "./scaling.js";
export * from "./kernel.js";
export * from "./speed.js";
export * from "./reps.js";
