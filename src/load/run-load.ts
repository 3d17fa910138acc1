// One load run as the `load` command makes it: the generator's client process, its CPU sampled
// over the window, the CPUs' noise beside it, and the run's verdict (src/verdict/). The server is
// whatever listens at the URL: on this machine it is found by its listening socket and its CPU
// sampled too (saturation judged from both sides); elsewhere from the client's side alone, and the
// verdict says so.
import { CpuNoiseWindow } from "../probe/cpu-noise.js";
import { allowedCpuList, listenerPid, processGroup } from "../probe/listener.js";
import { ThreadWindow, type ServerCpu } from "../probe/thread-window.js";
import { GroupSampler, type WindowStats } from "../probe/sampler.js";
import type { CpuNoise, Verdict } from "../results/schema.js";
import { loadVerdict } from "../verdict/index.js";
import type { LoadGenerator, LoadResult, LoadSpec, Progress } from "./types.js";

export interface MeasuredLoad {
  result: LoadResult;
  client: WindowStats | null;
  /** The local server's CPU over the window (null: not on this machine, or not visible). */
  server: ServerCpu | null;
  cpuNoise: CpuNoise | null;
  verdict: Verdict;
}

const LOCAL = /^(127\.\d+\.\d+\.\d+|localhost|::1|0\.0\.0\.0)$/;

function localServer(spec: LoadSpec): ThreadWindow | null {
  if (!LOCAL.test(spec.host)) return null;
  const pid = listenerPid(spec.port);
  const pgid = pid === null ? null : processGroup(pid);
  return pid === null || pgid === null ? null : new ThreadWindow(pid, pgid);
}

export interface RunLoadOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** The client process, for a caller that stops it gently (SIGTERM: it still answers). */
  onClientPid?: (pid: number) => void;
  onMeasureStart?: () => void;
}

/** The CPUs whose noise is judged: the client's pinned CPUs and, since the server's CPU time is
 *  subtracted as the run's own, every CPU the local server may run on; null (all) when unpinned. */
function judgedCpus(spec: LoadSpec, server: ThreadWindow | null): number[] | null {
  if (!spec.cpus) return null;
  const serverCpus = server ? allowedCpuList(server.pid) : [];
  return serverCpus === null ? null : [...spec.cpus, ...serverCpus];
}

export async function runLoad(gen: LoadGenerator, spec: LoadSpec, o: RunLoadOptions = {}): Promise<MeasuredLoad> {
  let sampler: GroupSampler | null = null;
  let client: WindowStats | null = null;
  let cpuNoise: CpuNoise | null = null;
  let server: ServerCpu | null = null;
  const serverWindow = localServer(spec);
  const noise = new CpuNoiseWindow(judgedCpus(spec, serverWindow));
  try {
    const result = await gen.run(spec, {
      onClientPid: (pid) => {
        o.onClientPid?.(pid);
        sampler = new GroupSampler(pid);
        sampler.start();
      },
      onMeasureStart: () => {
        o.onMeasureStart?.();
        (sampler as GroupSampler | null)?.windowStart();
        serverWindow?.open();
        noise.open();
      },
      onMeasureEnd: () => {
        client = (sampler as GroupSampler | null)?.windowEnd() ?? null;
        server = serverWindow?.close() ?? null;
        const serverSeconds = server ? (server.cpuPct / 100) * ((client as WindowStats | null)?.wallS ?? 0) : 0;
        cpuNoise = noise.close(((client as WindowStats | null)?.cpuSeconds ?? 0) + serverSeconds);
      },
      onProgress: o.onProgress,
      signal: o.signal,
    });
    const verdict = loadVerdict({
      result: { requests: result.requests, errors: result.errors, statusClasses: result.status, rps: result.rps, rate: spec.rate, sent: result.sent, unfinished: result.unfinished, mismatched: result.check?.mismatched ?? null },
      threads: spec.threads,
      generator: gen.name,
      clientCpus: spec.cpus,
      clientCpuPct: (client as WindowStats | null)?.cpuPct ?? null,
      serverCpuPct: (server as ServerCpu | null)?.cpuPct ?? null,
      serverAllotmentPct: (server as ServerCpu | null)?.allotmentPct ?? null,
      cpuNoise,
    });
    return { result, client, server, cpuNoise, verdict };
  } finally {
    (sampler as GroupSampler | null)?.stop();
  }
}
