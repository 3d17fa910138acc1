// One load run as the `load` command makes it: the generator's client process, its CPU sampled
// over the window, the CPUs' noise beside it, and the run's verdict (src/verdict/). The server is
// whatever listens at the URL: its CPU is not ours to sample, so saturation is judged from the
// client's side alone and says so.
import { CpuNoiseWindow } from "../probe/cpu-noise.js";
import { GroupSampler, type WindowStats } from "../probe/sampler.js";
import type { CpuNoise, Verdict } from "../results/schema.js";
import { loadVerdict } from "../verdict/index.js";
import type { LoadGenerator, LoadResult, LoadSpec, Progress } from "./types.js";

export interface MeasuredLoad {
  result: LoadResult;
  client: WindowStats | null;
  cpuNoise: CpuNoise | null;
  verdict: Verdict;
}

export interface RunLoadOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

export async function runLoad(gen: LoadGenerator, spec: LoadSpec, o: RunLoadOptions = {}): Promise<MeasuredLoad> {
  let sampler: GroupSampler | null = null;
  let client: WindowStats | null = null;
  let cpuNoise: CpuNoise | null = null;
  const noise = new CpuNoiseWindow(spec.cpus);
  try {
    const result = await gen.run(spec, {
      onClientPid: (pid) => {
        sampler = new GroupSampler(pid);
        sampler.start();
      },
      onMeasureStart: () => {
        (sampler as GroupSampler | null)?.windowStart();
        noise.open();
      },
      onMeasureEnd: () => {
        client = (sampler as GroupSampler | null)?.windowEnd() ?? null;
        cpuNoise = noise.close((client as WindowStats | null)?.cpuSeconds ?? 0);
      },
      onProgress: o.onProgress,
      signal: o.signal,
    });
    const verdict = loadVerdict({
      result: { requests: result.requests, errors: result.errors, statusClasses: result.status, rps: result.rps, rate: spec.rate, sent: result.sent, unfinished: result.unfinished },
      threads: spec.threads,
      generator: gen.name,
      clientCpus: spec.cpus,
      clientCpuPct: (client as WindowStats | null)?.cpuPct ?? null,
      cpuNoise,
    });
    return { result, client, cpuNoise, verdict };
  } finally {
    (sampler as GroupSampler | null)?.stop();
  }
}
