// The measurement window of one run: the generator's client process runs the load (warm-up
// excluded); the target's and the client's process groups are sampled, the CPUs' noise is read,
// and the target's counters are taken at the window's two edges, all opened and closed by the
// generator's phase messages. A target that dies ends the load (the client is aborted); an
// aborted runner ends it too, and the run says it was interrupted.
import { InterruptedError, type LoadResult, type Progress } from "../load/types.js";
import { Background, type BackgroundSummary } from "../load/background.js";
import { CpuNoiseWindow } from "../probe/cpu-noise.js";
import { GroupSampler, type WindowStats } from "../probe/sampler.js";
import type { CpuNoise, RunProfile, SpeedRecord } from "../results/schema.js";
import { profilerFor, runStem, type WindowProfiler } from "../profile/take.js";
import { describeExit } from "../proc/spawn.js";
import type { RunningTarget } from "../targets/process.js";
import type { TargetStats } from "../targets/stats.js";
import { loadSpecFor } from "./load-spec.js";
import type { SamplerLike } from "../topology/remote-sampler-client.js";
import type { NetworkRecord } from "../topology/record.js";
import type { NetworkSnapshot, Topology } from "../topology/types.js";
import { INTERRUPTED, type MeasureOptions } from "./measure-one.js";
import { timeAnswer } from "./edge-timing.js";
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
  return local && o.scenario.mode === "http" && o.variant.load.method === "GET" ? new AnswerEdges(o.host, target.port, o.variant.load.path) : null;
}

/** Samplers and counters of one window, opened and closed by the generator's phase messages. */
class WindowProbes {
  readonly server: SamplerLike;
  client: SamplerLike | null = null;
  private readonly noise: CpuNoiseWindow;
  statsStart: Promise<TargetStats> | null = null;
  statsEnd: Promise<TargetStats> | null = null;
  serverWindow: WindowStats | null = null;
  clientWindow: WindowStats | null = null;
  cpuNoise: CpuNoise | null = null;
  /** Clients beside the load (slowloris, bursts) when the variant asks for them. */
  background: Background | null = null;
  statsEdgeMs = 0;
  netStart: Promise<NetworkSnapshot | null> | null = null;
  netEnd: Promise<NetworkSnapshot | null> | null = null;
  /** bench --profile: profile-start/-stop at the window's edges. */
  profiler: WindowProfiler | null = null;

  constructor(
    private readonly target: RunningTarget,
    cpus: number[] | null,
    private readonly topology: Topology | undefined,
  ) {
    // Over ssh a side is sampled on its own host; here otherwise.
    this.server = topology?.sampler?.("server", target.pid) ?? new GroupSampler(target.pid);
    this.noise = new CpuNoiseWindow(cpus);
  }

  clientStarted(pid: number): void {
    this.client = this.topology?.sampler?.("client", pid) ?? new GroupSampler(pid);
    this.client.start();
  }

  open(): void {
    this.server.windowStart();
    this.client?.windowStart();
    this.noise.open();
    this.background?.windowStart();
    this.netStart = this.topology?.snapshot() ?? null;
    this.netStart?.catch(() => {});
    this.statsStart = timeAnswer(this.target.stats(), (ms) => (this.statsEdgeMs += ms));
    this.statsStart.catch(() => {});
    this.profiler?.open();
  }

  close(): void {
    this.serverWindow = this.server.windowEnd();
    this.clientWindow = this.client?.windowEnd() ?? null;
    this.background?.windowEnd();
    this.netEnd = this.topology?.snapshot() ?? null;
    this.netEnd?.catch(() => {});
    this.cpuNoise = this.noise.close(this.serverWindow.cpuSeconds + (this.clientWindow?.cpuSeconds ?? 0));
    this.statsEnd = timeAnswer(this.target.stats(), (ms) => (this.statsEdgeMs += ms));
    this.statsEnd.catch(() => {});
    this.profiler?.close();
  }

  stop(): void {
    this.background?.stop();
    this.server.stop();
    this.client?.stop();
  }
}

/** Turns progress lines into live lines: the rate since the previous line of the same phase. */
function liveRelay(o: MeasureOptions, server: SamplerLike): (p: Progress) => void {
  let last: { t: number; requests: number; phase: Progress["phase"] } | null = null;
  return (p) => {
    const now = performance.now();
    const same = last !== null && last.phase === p.phase && p.requests >= last.requests;
    const rps = p.final && typeof p.lastSecondRps === "number" ? p.lastSecondRps : same ? ((p.requests - last!.requests) * 1000) / Math.max(1, now - last!.t) : p.elapsedS > 0 ? p.requests / p.elapsedS : 0;
    last = { t: now, requests: p.requests, phase: p.phase };
    o.onLive?.({ target: o.def.name, variant: o.variant.name, rep: o.rep, phase: p.phase, elapsedS: p.elapsedS, rps, p99Us: p.p99Us ?? null, rssBytes: server.lastRss(), final: p.final });
  };
}

function pinnedCpus(o: MeasureOptions): number[] | null {
  const c = o.scenario.cpus;
  return c ? [...c.server, ...c.client] : null;
}

export async function measureWindow(o: MeasureOptions, target: RunningTarget): Promise<WindowOutcome | { failure: string }> {
  if (o.signal?.aborted) return { failure: INTERRUPTED };
  const probes = new WindowProbes(target, pinnedCpus(o), o.topology);
  // The client is stopped when the runner is aborted or the target dies.
  const clientStop = new AbortController();
  const onAbort = () => clientStop.abort();
  o.signal?.addEventListener("abort", onAbort, { once: true });
  const died = target.exited.then((e) => {
    clientStop.abort();
    const tail = target.stderrTail();
    return `${o.def.name} died during the load (${describeExit(e)})${tail ? `; its stderr:\n${tail}` : ""}`;
  });
  probes.server.start();
  const speed = o.speed ? new SpeedEdges(pinnedCpus(o), o.speed) : null;
  const answers = answerEdgesFor(o, target);
  try {
    await speed?.edge("start");
    await answers?.edge("start");
    if (o.profile) probes.profiler = await profilerFor(target, o.profile, runStem(o.def.name, o.variant.name, o.rep));
    if (o.variant.background) probes.background = await Background.start(o.variant.background, o.host, target.port);
    const result = await o.generator.run({ ...loadSpecFor(o.scenario, o.variant, o.host, target.port), place: o.topology?.clientPlace }, {
      onClientPid: (pid) => probes.clientStarted(pid),
      onMeasureStart: () => probes.open(),
      onMeasureEnd: () => probes.close(),
      onProgress: liveRelay(o, probes.server),
      signal: clientStop.signal,
    });
    await answers?.edge("end");
    await speed?.edge("end");
    if (!probes.serverWindow || !probes.statsStart || !probes.statsEnd) return { failure: "load: the generator never opened a measurement window" };
    const profile = probes.profiler ? await probes.profiler.record() : undefined;
    if (probes.profiler?.unanswered && !target.hasExited()) return { failure: probes.profiler.unanswered };
    const [statsStart, statsEnd, netStart, netEnd] = await Promise.all([probes.statsStart, probes.statsEnd, probes.netStart, probes.netEnd]);
    const network = o.topology?.network(netStart, netEnd) ?? null;
    return { result, server: probes.serverWindow, client: probes.clientWindow, statsStart, statsEnd, cpuNoise: probes.cpuNoise, background: probes.background?.summary() ?? null, network, profile, statsEdgeMs: probes.statsEdgeMs, speed: speed?.record() ?? null, answers };
  } catch (e) {
    // The runner's own interruption first: a target it stopped did not "die".
    if (o.signal?.aborted) return { failure: INTERRUPTED };
    if (target.hasExited()) return { failure: await died };
    return { failure: e instanceof InterruptedError ? e.message : `load: ${(e as Error).message}` };
  } finally {
    o.signal?.removeEventListener("abort", onAbort);
    probes.stop();
  }
}
