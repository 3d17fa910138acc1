// The load generators, by name. The native generator is the default: it is the only one that
// is not the bottleneck against a fast server (the loadgen-vs-wrk scenario measures it).
import { autocannonGenerator } from "./autocannon.js";
import { nativeGenerator } from "./native.js";
import type { GeneratorName, LoadGenerator } from "./types.js";
import { wrkGenerator } from "./wrk.js";

export const GENERATORS: Record<GeneratorName, LoadGenerator> = {
  native: nativeGenerator,
  autocannon: autocannonGenerator,
  wrk: wrkGenerator,
};

export const GENERATOR_NAMES = Object.keys(GENERATORS) as GeneratorName[];
