// One step of a sweep: the generator offers a constant rate (open loop, each request timed from
// its intended send time) for a warm-up and a measured window, the one measurement window of
// every run (src/window/): the server's and the client's CPU, the CPUs' noise and CPU pressure.
import { encodeHistogram, latencySummary } from "../load/client-protocol.js";
import type { LoadGenerator, LoadSpec } from "../load/types.js";
import type { SweepStep } from "../model/index.js";
import type { RunningTarget } from "../targets/process.js";
import type { Topology } from "../topology/types.js";
import { clientAllotmentOf, saturationReasons } from "../verdict/index.js";
import { MeasurementWindow, type ServerSide } from "../window/window.js";
import { judgeStep } from "./judge.js";
import type { SweepSettings } from "./settings.js";

export interface StepInput {
  index: number;
  phase: SweepStep["phase"];
  offeredRps: number;
  /** The load without rate and timing; the step sets them. */
  spec: LoadSpec;
  generator: LoadGenerator;
  /** The target when the harness started it (its process group sampled), else null: a URL,
   *  whose server is found by its listening socket when it is on this machine. */
  server: { target: RunningTarget; threads: number; cpus: number[] | null } | null;
  settings: SweepSettings;
  topology?: Topology;
}

function serverSide(i: StepInput, spec: LoadSpec): ServerSide {
  return i.server ? { kind: "started", ...i.server } : { kind: "listening", host: spec.host, port: spec.port };
}

export async function runStep(i: StepInput): Promise<SweepStep> {
  const spec: LoadSpec = { ...i.spec, rate: i.offeredRps, warmupS: i.settings.warmupS, durationS: i.settings.stepS };
  const window = new MeasurementWindow({ server: serverSide(i, spec), clientCpus: spec.cpus, topology: i.topology });
  try {
    const r = await i.generator.run(spec, window.hooks());
    const w = await window.result();
    const latencyUs = latencySummary(r.latency);
    const facts = {
      offeredRps: i.offeredRps,
      achievedRps: r.rps,
      requests: r.requests,
      latencyUs,
      errors: r.errors,
      statusClasses: r.status,
    };
    const clientCpuPct = w?.client?.cpuPct ?? 0;
    const saturation = saturationReasons({
      clientCpuPct,
      clientAllotmentPct: clientAllotmentOf({ generator: i.generator.name, threads: spec.threads }, spec.cpus),
      serverCpuPct: w?.serverCpu?.cpuPct ?? null,
      serverAllotmentPct: w?.serverCpu?.allotmentPct ?? null,
    });
    return {
      index: i.index,
      phase: i.phase,
      offeredRps: i.offeredRps,
      achievedRps: r.rps,
      requests: r.requests,
      durationS: r.durationS,
      latencyUs,
      latencyHdr: encodeHistogram(r.latency),
      errors: r.errors,
      statusClasses: r.status,
      serverCpuPct: w?.serverCpu?.cpuPct ?? null,
      clientCpuPct,
      cpuPressurePct: w?.cpuPressurePct ?? null,
      cpuNoise: w?.cpuNoise ?? null,
      // The rule of every run (src/verdict/saturation.ts): the client saturated, the server not.
      clientBound: saturation.length > 0,
      ...judgeStep(facts, i.settings),
    };
  } finally {
    window.stop();
  }
}
