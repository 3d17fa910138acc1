// One step of a sweep: the generator offers a constant rate (open loop, each request timed from
// its intended send time) for a warm-up and a measured window; the server's and the client's
// CPU are sampled over the same window, which the generator's phase messages open and close.
import { encodeHistogram, latencySummary } from "../load/client-protocol.js";
import type { LoadGenerator, LoadSpec } from "../load/types.js";
import { CpuNoiseWindow } from "../probe/cpu-noise.js";
import { allowedCpuList } from "../probe/listener.js";
import { GroupSampler, type WindowStats } from "../probe/sampler.js";
import type { CpuNoise, SweepStep } from "../results/schema.js";
import { judgeStep } from "./judge.js";
import { cpuPressureUs, pressurePct } from "./pressure.js";
import type { SweepSettings } from "./settings.js";

export interface StepInput {
  index: number;
  phase: SweepStep["phase"];
  offeredRps: number;
  /** The load without rate and timing; the step sets them. */
  spec: LoadSpec;
  generator: LoadGenerator;
  /** The target's process group when the harness started it (its CPU is sampled), else null. */
  serverPid: number | null;
  settings: SweepSettings;
}

/** What the client may use, in % of one CPU: its threads, capped by the CPUs it is pinned to. */
export function clientCapacityPct(spec: LoadSpec, cores: number): number {
  return Math.min(spec.threads, spec.cpus?.length ?? cores) * 100;
}

/** The CPUs judged for other processes' use: the client's and the server's when both are
 *  pinned (their CPU time is the run's own), else every CPU. */
function judgedCpus(spec: LoadSpec, serverPid: number | null): number[] | null {
  const serverCpus = serverPid !== null ? allowedCpuList(serverPid) : null;
  return spec.cpus && serverCpus ? [...spec.cpus, ...serverCpus] : null;
}

export async function runStep(i: StepInput, cores: number): Promise<SweepStep> {
  const spec: LoadSpec = { ...i.spec, rate: i.offeredRps, warmupS: i.settings.warmupS, durationS: i.settings.stepS };
  const server = i.serverPid !== null ? new GroupSampler(i.serverPid) : null;
  const noise = new CpuNoiseWindow(judgedCpus(spec, i.serverPid));
  let cpuNoise: CpuNoise | null = null;
  let client: GroupSampler | null = null;
  let serverWindow: WindowStats | null = null;
  let clientWindow: WindowStats | null = null;
  let pressureStart: number | null = null;
  let pressureEnd: number | null = null;
  let windowStartMs = 0;
  let windowS = 0;
  server?.start();
  try {
    const r = await i.generator.run(spec, {
      onClientPid: (pid) => {
        client = new GroupSampler(pid);
        client.start();
      },
      onMeasureStart: () => {
        pressureStart = cpuPressureUs();
        windowStartMs = performance.now();
        server?.windowStart();
        (client as GroupSampler | null)?.windowStart();
        noise.open();
      },
      onMeasureEnd: () => {
        pressureEnd = cpuPressureUs();
        windowS = (performance.now() - windowStartMs) / 1000;
        serverWindow = server?.windowEnd() ?? null;
        clientWindow = (client as GroupSampler | null)?.windowEnd() ?? null;
        const own = [serverWindow, clientWindow].reduce((a, w) => a + ((w as WindowStats | null)?.cpuSeconds ?? 0), 0);
        cpuNoise = noise.close(own);
      },
    });
    const latencyUs = latencySummary(r.latency);
    const facts = { offeredRps: i.offeredRps, achievedRps: r.rps, requests: r.requests, latencyUs, errors: r.errors };
    const clientCpuPct = (clientWindow as WindowStats | null)?.cpuPct ?? 0;
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
      serverCpuPct: (serverWindow as WindowStats | null)?.cpuPct ?? null,
      clientCpuPct,
      cpuPressurePct: pressurePct(pressureStart, pressureEnd, windowS),
      cpuNoise,
      clientBound: clientCpuPct >= i.settings.clientBoundShare * clientCapacityPct(spec, cores),
      ...judgeStep(facts, i.settings),
    };
  } finally {
    server?.stop();
    (client as GroupSampler | null)?.stop();
  }
}
