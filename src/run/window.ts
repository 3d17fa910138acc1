// The measurement window of one run: the generator's client process runs the load (warm-up
// excluded); the target's and the client's process groups are sampled, the CPUs' noise is read,
// and the target's counters are taken at the window's two edges, all opened and closed by the
// generator's phase messages. A target that dies ends the load (the client is aborted); an
// aborted runner ends it too, and the run says it was interrupted.
import { InterruptedError, type LoadResult, type Progress } from "../load/types.js";
import { Background, type BackgroundSummary } from "../load/background.js";
import type { WindowStats } from "../probe/sampler.js";
import type { CpuNoise, NetworkRecord, RunProfile, SpeedRecord } from "../model/index.js";
import { profilerFor, runStem, type WindowProfiler } from "../profile/take.js";
import { describeExit } from "../proc/spawn.js";
import type { RunningTarget } from "../targets/process.js";
import type { TargetStats } from "../targets/stats.js";
import { loadSpecFor } from "./load-spec.js";
import { MeasurementWindow } from "../window/window.js";
import { INTERRUPTED, type MeasureOptions } from "./measure-options.js";
import { KernelWindowProbes } from "../kernel/window.js";
import type { KernelWindow } from "../model/index.js";
import { SpeedEdges } from "../probe/speed.js";
import { AnswerEdges } from "../probe/answer-probe.js";

export interface WindowOutcome {
  result: LoadResult;
  server: WindowStats;
  client: WindowStats | null;
  statsStart: TargetStats;
  statsEnd: TargetStats;
  cpuNoise: CpuNoise | null;
  /** What the variant's background clients saw (null: it asked for none). */
  background: BackgroundSummary | null;
  /** The link's and the kernels' TCP counters over the window (null: local topology). */
  network: NetworkRecord | null;
  /** bench --profile: what was profiled over this window (undefined: not asked). */
  profile?: RunProfile;
  /** The kernel probes' counts over the window, or why there are none (src/kernel/). */
  kernel?: KernelWindow;
  /** How long the target took to answer its counters at the two edges, summed (ms). */
  statsEdgeMs: number;
  /** The machine-speed probe at the window's edges (null: not probed). */
  speed: SpeedRecord | null;
  /** An answer of the target's sampled at each edge (null: not sampled, see answerEdgesFor). */
  answers: AnswerEdges | null;
}

/** Sampled where the runner reaches the target itself (local topology) and the load is plain
 *  HTTP GET: the sample is then an answer of the kind the load measured. */
function answerEdgesFor(o: MeasureOptions, target: RunningTarget): AnswerEdges | null {
  const local = o.topology === undefined || o.topology.kind === "local";
  return local && o.scenario.mode === "http" && o.variant.load.method === "GET"
    ? new AnswerEdges(o.host, target.port, o.variant.load.path)
    : null;
}

function pinnedCpus(o: MeasureOptions): number[] | null {
  const c = o.scenario.cpus;
  return c ? [...c.server, ...c.client] : null;
}

/** Turns progress lines into live lines: the rate since the previous line of the same phase. */
function liveRelay(o: MeasureOptions, window: MeasurementWindow): (p: Progress) => void {
  let last: { t: number; requests: number; phase: Progress["phase"] } | null = null;
  return (p) => {
    const now = performance.now();
    const same = last !== null && last.phase === p.phase && p.requests >= last.requests;
    const rps =
      p.final && typeof p.lastSecondRps === "number"
        ? p.lastSecondRps
        : same
          ? ((p.requests - last!.requests) * 1000) / Math.max(1, now - last!.t)
          : p.elapsedS > 0
            ? p.requests / p.elapsedS
            : 0;
    last = { t: now, requests: p.requests, phase: p.phase };
    o.onLive?.({
      target: o.def.name,
      variant: o.variant.name,
      rep: o.rep,
      phase: p.phase,
      elapsedS: p.elapsedS,
      rps,
      p99Us: p.p99Us ?? null,
      rssBytes: window.lastRss(),
      final: p.final,
    });
  };
}

export async function measureWindow(o: MeasureOptions, target: RunningTarget): Promise<WindowOutcome | { failure: string }> {
  if (o.signal?.aborted) return { failure: INTERRUPTED };
  const window = new MeasurementWindow({
    server: { kind: "started", target, threads: o.target.threads, cpus: o.scenario.cpus?.server ?? null },
    clientCpus: o.scenario.cpus?.client ?? null,
    topology: o.topology,
  });
  // The client is stopped when the runner is aborted or the target dies.
  const clientStop = new AbortController();
  const onAbort = () => clientStop.abort();
  o.signal?.addEventListener("abort", onAbort, { once: true });
  const died = target.exited.then((e) => {
    clientStop.abort();
    const tail = target.stderrTail();
    return `${o.def.name} died during the load (${describeExit(e)})${tail ? `; its stderr:\n${tail}` : ""}`;
  });
  let profiler: WindowProfiler | null = null;
  let background: Background | null = null;
  let kernel: KernelWindowProbes | null = null;
  const speed = o.speed ? new SpeedEdges(pinnedCpus(o), o.speed) : null;
  const answers = answerEdgesFor(o, target);
  try {
    await speed?.edge("start");
    await answers?.edge("start");
    if (o.profile) profiler = await profilerFor(target, o.profile, runStem(o.def.name, o.variant.name, o.rep));
    kernel = await KernelWindowProbes.prepare(
      target.pid,
      target.port,
      KernelWindowProbes.offReason(o.topology?.sampler !== undefined, o.variant.kernelProbes === false),
    );
    if (o.variant.background) background = await Background.start(o.variant.background, o.host, target.port);
    const hooks = window.hooks();
    const result = await o.generator.run(
      { ...loadSpecFor(o.scenario, o.variant, o.host, target.port, o.tls?.ca ?? null), place: o.topology?.clientPlace },
      {
        onClientPid: hooks.onClientPid,
        // The profiler's start follows the window's stats, so the profile covers the same window.
        onMeasureStart: () => (hooks.onMeasureStart(), background?.windowStart(), profiler?.open(), kernel?.open()),
        onMeasureEnd: () => (hooks.onMeasureEnd(), background?.windowEnd(), profiler?.close(), kernel?.close()),
        onProgress: liveRelay(o, window),
        signal: clientStop.signal,
      },
    );
    await answers?.edge("end");
    await speed?.edge("end");
    const facts = await window.result();
    if (!facts?.server || !facts.stats) return { failure: "load: the generator never opened a measurement window" };
    const profile = profiler ? await profiler.record() : undefined;
    if (profiler?.unanswered && !target.hasExited()) return { failure: profiler.unanswered };
    const kernelWindow = await kernel?.window();
    return {
      result,
      server: facts.server,
      client: facts.client,
      statsStart: facts.stats.start,
      statsEnd: facts.stats.end,
      cpuNoise: facts.cpuNoise,
      background: background?.summary() ?? null,
      network: facts.network,
      profile,
      kernel: kernelWindow,
      statsEdgeMs: facts.statsEdgeMs,
      speed: speed?.record() ?? null,
      answers,
    };
  } catch (e) {
    // The runner's own interruption first: a target it stopped did not "die".
    if (o.signal?.aborted) return { failure: INTERRUPTED };
    if (target.hasExited()) return { failure: await died };
    return { failure: e instanceof InterruptedError ? e.message : `load: ${(e as Error).message}` };
  } finally {
    o.signal?.removeEventListener("abort", onAbort);
    void kernel?.window();
    background?.stop();
    window.stop();
  }
}
