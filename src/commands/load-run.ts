// One load run as the `load` command makes it: the generator's client process over the one
// measurement window (src/window/), and the run's verdict (src/verdict/). The server is whatever
// listens at the URL: on this machine the window finds it by its listening socket and samples its
// CPU too (saturation judged from both sides); elsewhere the verdict judges the client's side alone.
import type { NativeSpecExtras } from "../load/native-addon.js";
import type { LoadGenerator, LoadResult, LoadSpec, Progress } from "../load/types.js";
import type { CpuNoise, Verdict } from "../model/index.js";
import type { WindowStats } from "../probe/sampler.js";
import { loadVerdict } from "../verdict/index.js";
import { MeasurementWindow, type ServerCpu } from "../window/window.js";

export interface MeasuredLoad {
  result: LoadResult;
  client: WindowStats | null;
  /** The local server's CPU over the window (null: not on this machine, or not visible). */
  server: ServerCpu | null;
  cpuNoise: CpuNoise | null;
  verdict: Verdict;
}

export interface RunLoadOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** The client process, for a caller that stops it gently (SIGTERM: it still answers). */
  onClientPid?: (pid: number) => void;
  onMeasureStart?: () => void;
}

/** `spec.requests`: the native generator's request budget (-n), where one was asked. */
export async function runLoad(
  gen: LoadGenerator,
  spec: LoadSpec & Pick<NativeSpecExtras, "requests">,
  o: RunLoadOptions = {},
): Promise<MeasuredLoad> {
  const window = new MeasurementWindow({ server: { kind: "listening", host: spec.host, port: spec.port }, clientCpus: spec.cpus });
  const hooks = window.hooks();
  try {
    const result = await gen.run(spec, {
      onClientPid: (pid) => (o.onClientPid?.(pid), hooks.onClientPid(pid)),
      onMeasureStart: () => (o.onMeasureStart?.(), hooks.onMeasureStart()),
      onMeasureEnd: hooks.onMeasureEnd,
      onProgress: o.onProgress,
      signal: o.signal,
    });
    const facts = await window.result();
    const verdict = loadVerdict({
      result: {
        requests: result.requests,
        errors: result.errors,
        statusClasses: result.status,
        rps: result.rps,
        rate: spec.rate,
        sent: result.sent,
        unfinished: result.unfinished,
        mismatched: result.check?.mismatched ?? null,
        // A request budget (-n) may be spent before every connection opened: not a smaller load.
        connectionsAsked: spec.requests ? 0 : spec.connections,
        connectionsOpened: result.connect?.firstOpened ?? null,
      },
      threads: spec.threads,
      generator: gen.name,
      clientCpus: spec.cpus,
      clientCpuPct: facts?.client?.cpuPct ?? null,
      serverCpuPct: facts?.serverCpu?.cpuPct ?? null,
      serverAllotmentPct: facts?.serverCpu?.allotmentPct ?? null,
      cpuNoise: facts?.cpuNoise ?? null,
    });
    return { result, client: facts?.client ?? null, server: facts?.serverCpu ?? null, cpuNoise: facts?.cpuNoise ?? null, verdict };
  } finally {
    window.stop();
  }
}
