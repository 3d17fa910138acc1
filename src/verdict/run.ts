// The verdict of one run, of a summary row, and of a `load` command: pure functions of what was
// measured. The runner stores them in the result; every output shows them (present's layer).
import os from "node:os";

import type { CpuNoise, GeneratorName, RunOk, Verdict, VerdictReason } from "../model/index.js";
import { verdictOf } from "./combine.js";
import { noiseReasons } from "./noise.js";
import { requestReasons, type RequestFacts } from "./requests.js";
import { allotmentPct, saturationReasons, type CpuFacts } from "./saturation.js";

export interface RunFacts extends RequestFacts, CpuFacts {
  cpuNoise: CpuNoise | null;
  /** What the link said about the run (netns, ssh: network.ts), in the reasons' shape. */
  linkReasons?: VerdictReason[];
}

export function runVerdict(f: RunFacts): Verdict {
  return verdictOf([...requestReasons(f), ...saturationReasons(f), ...noiseReasons(f.cpuNoise), ...(f.linkReasons ?? [])]);
}

/** The client's allotment from a run's load settings: autocannon is one thread whatever it is told. */
export function clientAllotmentOf(
  load: Pick<RunOk["load"], "generator" | "threads">,
  clientCpus: number[] | null,
  cores: number = os.cpus().length,
): number {
  const threads = load.generator === "autocannon" ? 1 : load.threads;
  return allotmentPct(threads, clientCpus?.length ?? cores);
}

export interface LoadFacts {
  result: RequestFacts;
  /** Client threads and CPUs from the spec. */
  threads: number;
  generator: string;
  clientCpus: number[] | null;
  clientCpuPct: number | null;
  /** The server's CPU over the window where it could be sampled (a local target), else null. */
  serverCpuPct?: number | null;
  serverAllotmentPct?: number | null;
  cpuNoise?: CpuNoise | null;
}

/** The verdict of a `load` run: the same rules as a bench run, the server's side where known. */
export function loadVerdict(f: LoadFacts): Verdict {
  return runVerdict({
    ...f.result,
    clientCpuPct: f.clientCpuPct ?? 0,
    clientAllotmentPct: clientAllotmentOf({ generator: f.generator as GeneratorName, threads: f.threads }, f.clientCpus),
    serverCpuPct: f.serverCpuPct ?? null,
    serverAllotmentPct: f.serverAllotmentPct ?? null,
    cpuNoise: f.cpuNoise ?? null,
  });
}
