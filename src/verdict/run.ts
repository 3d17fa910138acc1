// The verdict of one run, of a summary row, and of a `load` command: pure functions of what was
// measured. The runner stores them in the result; every output shows them (present's layer).
import os from "node:os";

import type { CpuNoise, Run, RunOk, Verdict, VerdictReason } from "../results/schema.js";
import { isInvalid, verdictOf } from "./combine.js";
import { noiseReasons, spreadReasons } from "./noise.js";
import { requestReasons, type RequestFacts } from "./requests.js";
import { allotmentPct, saturationReasons, type CpuFacts } from "./saturation.js";

export interface RunFacts extends RequestFacts, CpuFacts {
  cpuNoise: CpuNoise | null;
  /** What the link said about the run (netns, ssh: src/topology/checks.ts), in the reasons' shape. */
  linkReasons?: VerdictReason[];
}

export function runVerdict(f: RunFacts): Verdict {
  return verdictOf([...requestReasons(f), ...saturationReasons(f), ...noiseReasons(f.cpuNoise), ...(f.linkReasons ?? [])]);
}

/** The client's allotment from a run's load settings: autocannon is one thread whatever it is told. */
export function clientAllotmentOf(load: RunOk["load"], clientCpus: number[] | null, cores: number): number {
  const threads = load.generator === "autocannon" ? 1 : load.threads;
  return allotmentPct(threads, clientCpus?.length ?? cores);
}

/** A stored run's verdict, re-derived from its fields (for result files written before verdicts).
 *  The server's threads are not stored: its allotment is taken as its CPUs. */
export function deriveRunVerdict(r: RunOk, cores: number): Verdict {
  return runVerdict({
    requests: r.requests,
    errors: r.errors,
    statusClasses: r.statusClasses,
    rps: r.rps,
    rate: r.load.rate,
    sent: r.sent ?? null,
    unfinished: r.unfinished ?? null,
    serverCounted: r.load.echo ? null : r.server.requestsCounted,
    inFlight: r.load.connections * r.load.pipeline,
    clientCpuPct: r.client.cpuPct,
    clientAllotmentPct: clientAllotmentOf(r.load, r.client.cpus, cores),
    serverCpuPct: r.server.cpuPct,
    serverAllotmentPct: (r.server.cpus?.length ?? cores) * 100,
    cpuNoise: r.cpuNoise ?? null,
  });
}

/** A summary row: its runs' reasons, each code once ("2 of 3 runs: ..."), plus high-cv over the
 *  req/s of its runs that are not invalid. */
export function rowVerdict(runs: Run[]): Verdict {
  const ok = runs.filter((r): r is RunOk => r.status === "ok");
  const byCode = new Map<string, { reason: VerdictReason; n: number }>();
  for (const r of ok) {
    for (const reason of r.verdict?.reasons ?? []) {
      const seen = byCode.get(reason.code);
      if (seen) seen.n++;
      else byCode.set(reason.code, { reason, n: 1 });
    }
  }
  const reasons = [...byCode.values()].map(({ reason, n }) =>
    ok.length > 1 ? { ...reason, message: `${n} of ${ok.length} runs: ${reason.message}` } : reason,
  );
  const usable = ok.filter((r) => !isInvalid(r.verdict)).map((r) => r.rps);
  return verdictOf([...reasons, ...spreadReasons(usable)]);
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
  const cores = os.cpus().length;
  const threads = f.generator === "autocannon" ? 1 : f.threads;
  return runVerdict({
    ...f.result,
    clientCpuPct: f.clientCpuPct ?? 0,
    clientAllotmentPct: allotmentPct(threads, f.clientCpus?.length ?? cores),
    serverCpuPct: f.serverCpuPct ?? null,
    serverAllotmentPct: f.serverAllotmentPct ?? null,
    cpuNoise: f.cpuNoise ?? null,
  });
}
